import type { Db } from '../store/db.ts';

/** `messageId` lets a receiver drop a repeat (the outbox delivers at least once). */
export type OutgoingMail = { to: string; subject: string; text: string; messageId?: string };

export type AppContext = {
  db: Db;
  /** The clock is injected so tests and the simulator control time. */
  now: () => Date;
  settings: { ticketPrefix: string; publicUrl: string; /** Lets server-side fetches reach private addresses (tests, intranets). */ allowPrivateUrls?: boolean; /** Staff e-mail digest window (default 2 minutes). */ digestWindowMs?: number };
  log: { info: (obj: object, msg?: string) => void; warn: (obj: object, msg?: string) => void; error: (obj: object, msg?: string) => void };
};
