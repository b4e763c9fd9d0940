import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../../src/app/context.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { runDueJobs } from '../../src/jobs/outbox-worker.ts';
import type { Db, Queryable } from '../../src/store/db.ts';
import { spawnReplyby, type ReplybyProcess } from './replyby-process.ts';

// Issue 16 point 6: an outbox worker killed with SIGKILL mid-batch, then a fresh worker finishing the
// outbox. Shared by the PGlite (test/outbox-crash.test.ts) and PostgreSQL (test/pg/outbox-crash.test.ts)
// runs: a real `replyby worker` process sends acknowledgements over SMTP to a loopback sink, the sink
// stops answering after a number of messages (so the kill lands mid-batch, with sends in flight on every
// open SMTP connection), the worker is killed, and a fresh worker (in this process) sends the rest.

export const PUBLIC_URL = 'http://replyby.test';
/** How long the killed worker's claims stay locked; the fresh worker's clock runs past it. */
export const LOCK_SECONDS = 30;
/** The outbox worker's lanes (jobs/outbox-worker.ts CONCURRENCY): at most this many sends are in flight. */
export const LANES = 16;

/** Customers whose web request waits for its acknowledgement: one contact, one ticket, one outbox job each. */
export async function seedAcknowledgements(q: Queryable, customers: number, now: Date): Promise<void> {
  await q.query(
    `WITH c AS (
       INSERT INTO contacts (email, name, created_at, updated_at)
       SELECT 'customer' || g || '@crash.example', 'Customer ' || g, $1, $1 FROM generate_series(1, $2::int) g RETURNING id, email),
     t AS (
       INSERT INTO tickets (subject, type, priority, status, stage, channel, requester_id, created_at, updated_at)
       SELECT 'Request of ' || c.email, 'technical_question', 'normal', 'new', 'received', 'web', c.id, $1, $1 FROM c RETURNING id)
     INSERT INTO outbox (kind, payload, created_at, run_at)
     SELECT 'mail.acknowledgement', jsonb_build_object('ticket_id', t.id), $1, $1 FROM t`, [now, customers]);
}

export type SinkMail = { to: string; messageId: string; held: boolean };
export type CrashSink = {
  url: string;
  mails: SinkMail[];
  /** Messages answered "250 OK" so far. */
  answered: () => number;
  /** Stops holding: held messages are refused (their connection is gone anyway), later ones answered. */
  release: () => void;
  close: () => Promise<void>;
};

/**
 * A loopback SMTP server that answers the first `holdAfter` messages and then holds each further one
 * after receiving it whole (no reply): the sender has it "in flight". A held message counts as received
 * (a real server may have queued it before the connection dropped), so its repeat counts as a duplicate.
 */
export async function startCrashSink(holdAfter: number): Promise<CrashSink> {
  const mails: SinkMail[] = [];
  const pending: (() => void)[] = [];
  let answered = 0;
  let holding = true;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
        const messageId = /^Message-ID:\s*(.*)$/mi.exec(head)?.[1]?.trim() ?? '';
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
        if (holding && answered >= holdAfter) {
          mails.push({ to, messageId, held: true });
          pending.push(() => callback(Object.assign(new Error('closing'), { responseCode: 421 })));
          return;
        }
        answered += 1;
        mails.push({ to, messageId, held: false });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The SIGKILLed worker resets its socket mid-conversation; the sink outlives that, as a real MTA does.
    server.on('error', () => undefined);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    answered: () => answered,
    release: () => {
      holding = false;
      for (const refuse of pending.splice(0)) refuse();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real `replyby worker` process (outbox, monitor, sweeps) on the given database environment. */
export function spawnWorker(dbEnv: Record<string, string>, smtpUrl: string): ReplybyProcess {
  return spawnReplyby('worker', {
    ...dbEnv, REPLYBY_SKIP_MIGRATIONS: '1', REPLYBY_SMTP_URL: smtpUrl, REPLYBY_PUBLIC_URL: PUBLIC_URL,
    REPLYBY_OUTBOX_LOCK_SECONDS: String(LOCK_SECONDS), LOG_LEVEL: 'warn',
  });
}

/** The customers whose acknowledgement job is marked done. */
export async function confirmedRecipients(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ email: string }>(
    `SELECT c.email FROM outbox o JOIN tickets t ON t.id = (o.payload->>'ticket_id')::uuid JOIN contacts c ON c.id = t.requester_id
     WHERE o.kind = 'mail.acknowledgement' AND o.done_at IS NOT NULL`);
  return new Set(rows.map((r) => r.email));
}

/** A fresh worker in this process, its clock past the killed worker's claims, until the outbox is empty. */
export async function finishWithFreshWorker(db: Db, smtpUrl: string): Promise<number> {
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ctx: AppContext = { db, now: () => new Date(Date.now() + (LOCK_SECONDS + 1) * 1000), settings: { ticketPrefix: '#', publicUrl: PUBLIC_URL }, log: silent };
  const ran = await runDueJobs(ctx, createMailer(smtpUrl, 'Replyby <support@replyby.test>', silent), 40, LOCK_SECONDS);
  const [left] = await db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE kind = 'mail.acknowledgement' AND done_at IS NULL");
  if (Number(left?.n ?? 0) !== 0) throw new Error(`${left?.n} acknowledgements left undelivered`);
  return ran;
}

export type CrashCount = {
  customers: number;
  /** Messages the sink had answered (250) before the kill, and those it held (received, unanswered). */
  answeredAtKill: number;
  heldAtKill: number;
  /** Acknowledgements marked done at the kill. */
  confirmedAtKill: number;
  /** Sends in flight at the kill: held by the sink, or answered but not yet marked done. */
  inFlight: Set<string>;
  /** Customers who received their acknowledgement more than once. */
  duplicates: string[];
  missing: string[];
  /** Customers whose confirmed acknowledgement (done at the kill) was sent again. */
  confirmedRepeated: string[];
  /** Repeats under a different Message-ID than the first copy (receivers could not drop them). */
  repeatsWithNewId: number;
};

/** Counts the sink's messages per customer against what was confirmed and in flight at the kill. */
export function countCrash(customers: number, atKill: readonly SinkMail[], confirmed: ReadonlySet<string>, all: readonly SinkMail[]): CrashCount {
  const answered = new Set(atKill.filter((m) => !m.held).map((m) => m.to));
  const held = new Set(atKill.filter((m) => m.held).map((m) => m.to));
  const inFlight = new Set([...held, ...[...answered].filter((to) => !confirmed.has(to))]);
  const per = new Map<string, SinkMail[]>();
  for (const m of all) per.set(m.to, [...(per.get(m.to) ?? []), m]);
  const expected = Array.from({ length: customers }, (_, i) => `customer${i + 1}@crash.example`);
  const duplicates = expected.filter((to) => (per.get(to)?.length ?? 0) > 1);
  return {
    customers,
    answeredAtKill: atKill.filter((m) => !m.held).length,
    heldAtKill: held.size,
    confirmedAtKill: confirmed.size,
    inFlight,
    duplicates,
    missing: expected.filter((to) => !per.has(to)),
    confirmedRepeated: duplicates.filter((to) => confirmed.has(to)),
    repeatsWithNewId: duplicates.filter((to) => new Set(per.get(to)?.map((m) => m.messageId)).size > 1).length,
  };
}

export const describeCrash = (engine: string, c: CrashCount): string =>
  `outbox crash (${engine}): ${c.customers} customers; at the SIGKILL ${c.answeredAtKill} answered by the sink, ${c.confirmedAtKill} marked done, `
  + `${c.heldAtKill} held unanswered, ${c.inFlight.size} in flight; after a fresh worker: ${c.duplicates.length} customers got their acknowledgement twice `
  + `(${c.confirmedRepeated.length} of them already confirmed), ${c.missing.length} got none`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

export type CrashOptions = {
  customers: number;
  /** The sink answers this many messages, then holds: pick one that is not a multiple of the batch (40). */
  holdAfter: number;
  /** How the worker process reaches the database (DATABASE_URL or REPLYBY_DATA_DIR). */
  dbEnv: Record<string, string>;
  /** The database, if this process may use it while the worker runs (a server); else null (PGlite's directory is the worker's). */
  shared: Db | null;
  /** The database after the kill, for the fresh worker and the count. */
  open: () => Promise<Db>;
};

/**
 * The whole run: a worker process sends until the sink holds, is killed with SIGKILL, a fresh worker
 * sends the rest. Returns the count and the database (open, for the caller to close).
 */
export async function crashAndFinish(o: CrashOptions): Promise<{ count: CrashCount; db: Db }> {
  const sink = await startCrashSink(o.holdAfter);
  const worker = spawnWorker(o.dbEnv, sink.url);
  try {
    await worker.ready;
    if (!(await until(() => sink.mails.some((m) => m.held), 240_000))) throw new Error(`the worker sent ${sink.mails.length} mails, never reaching ${o.holdAfter}`);
    // Give the worker the time to mark what the sink answered: marked one by one, this converges at
    // once; marked per batch, never (the batch waits for its held sends). With PGlite the worker owns
    // the database meanwhile, so the pause is fixed.
    if (o.shared) {
      const shared = o.shared;
      await until(async () => (await confirmedRecipients(shared)).size >= sink.answered(), 15_000);
    } else {
      await sleep(3000);
    }
    worker.kill();
    await worker.exited;
    // Bytes already on the wire when the process died still reach the sink.
    await sleep(500);
    const atKill = [...sink.mails];
    const db = o.shared ?? (await o.open());
    const confirmed = await confirmedRecipients(db);
    sink.release();
    await finishWithFreshWorker(db, sink.url);
    return { count: countCrash(o.customers, atKill, confirmed, sink.mails), db };
  } finally {
    worker.kill();
    await sink.close();
  }
}
