import type { Db } from '../store/db.ts';
import type { OidcSettings } from './auth/oidc.ts';

export type OutgoingMail = {
  to: string; subject: string; text: string;
  /** Threading (RFC 5322): set on every mail about a ticket, so mail clients keep one conversation. */
  messageId?: string; inReplyTo?: string; references?: string[];
  headers?: Record<string, string>;
  /** Sent as MIME parts (an agent's files on a reply). */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
};

export type AppContext = {
  db: Db;
  /** The clock is injected so tests and the simulator control time. */
  now: () => Date;
  settings: { ticketPrefix: string; publicUrl: string; /** Lets server-side fetches reach private addresses (tests, intranets). */ allowPrivateUrls?: boolean;
    /** Inbound e-mail limits (defaults in app/email/receive-mail.ts). */
    email?: { attachmentMaxBytes?: number; attachmentsTotalMaxBytes?: number; acknowledgementsPerSenderPerHour?: number; attachmentsMaxCount?: number };
    /** The Telegram Bot API's base URL (default https://api.telegram.org; REPLYBY_TELEGRAM_API_URL). */
    telegramApiUrl?: string;
    /** Staff e-mail digest window (default 2 minutes). */
    digestWindowMs?: number;
    /** API token requests per minute when the token has no limit of its own (default 600; REPLYBY_TOKEN_RATE_LIMIT). */
    tokenRateLimitPerMinute?: number;
    /** Single sign-on for staff (REPLYBY_OIDC_*); absent: password sign-in only. */
    oidc?: OidcSettings };
  log: { info: (obj: object, msg?: string) => void; warn: (obj: object, msg?: string) => void; error: (obj: object, msg?: string) => void };
};
