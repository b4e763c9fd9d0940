import { ImapFlow } from 'imapflow';
import type { AppContext } from '../app/context.ts';
import { receiveMail } from '../app/email/receive-mail.ts';

export type ImapMailbox = {
  url: string; maxBytes: number; /** Fallback poll for servers without IDLE. */ pollMs?: number; tls?: { rejectUnauthorized: boolean };
  /** The receiving server whose Authentication-Results header is believed (REPLYBY_MAIL_TRUSTED_AUTHSERV_ID); without it, mail is allowed unchecked. */
  trustedAuthservId?: string;
};

// IDLE soon after each command (imapflow waits 15 s by default), so new mail is noticed within about a second.
const AUTO_IDLE_DELAY_MS = 1000;

function clientFor(box: ImapMailbox): { client: ImapFlow; mailbox: string; label: string } {
  const u = new URL(box.url);
  const secure = u.protocol === 'imaps:';
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  const client = new ImapFlow({
    host: u.hostname, port: Number(u.port) || (secure ? 993 : 143), secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false, autoIdleDelay: AUTO_IDLE_DELAY_MS, ...(box.tls ? { tls: box.tls } : {}),
  });
  return { client, mailbox, label: `imap:${u.hostname}/${mailbox}` };
}

/**
 * Takes every unseen mail of an open mailbox: stored and applied first, marked \Seen only after that
 * commit, so a crash in between means the mail is fetched again and recorded as a duplicate, never lost.
 */
async function takeUnseen(ctx: AppContext, client: ImapFlow, label: string, maxBytes: number, trustedAuthservId: string | undefined): Promise<number> {
  const uids = await client.search({ seen: false }, { uid: true });
  let taken = 0;
  for (const uid of uids || []) {
    const msg = await client.fetchOne(String(uid), { source: true, size: true }, { uid: true });
    if (!msg || !msg.source) continue;
    if (msg.source.length > maxBytes) {
      ctx.log.warn({ mailbox: label, uid, size: msg.source.length }, 'IMAP mail over REPLYBY_MAIL_MAX_BYTES left unseen in the mailbox');
      continue;
    }
    await receiveMail(ctx, { raw: msg.source, source: label, auth: trustedAuthservId ? { trustedAuthservId } : null });
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    taken += 1;
  }
  return taken;
}

/** One pass over one mailbox (also what tests and the benchmark drive). */
export async function pollImapOnce(ctx: AppContext, box: ImapMailbox): Promise<number> {
  const { client, mailbox, label } = clientFor(box);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      return await takeUnseen(ctx, client, label, box.maxBytes, box.trustedAuthservId);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** A long-lived connection per mailbox: new mail arrives by IDLE where offered, else by polling; reconnects with backoff. */
export function startImapPoller(ctx: AppContext, box: ImapMailbox): { stop: () => Promise<void> } {
  let stopped = false;
  let current: ImapFlow | null = null;
  const run = async () => {
    let backoffMs = 1000;
    while (!stopped) {
      const { client, mailbox, label } = clientFor(box);
      current = client;
      try {
        await client.connect();
        await client.mailboxOpen(mailbox);
        backoffMs = 1000;
        let busy: Promise<unknown> = Promise.resolve();
        const take = () => { busy = busy.then(() => takeUnseen(ctx, client, label, box.maxBytes, box.trustedAuthservId)).catch((err: unknown) => ctx.log.error({ mailbox: label, err: String(err) }, 'IMAP intake failed')); };
        client.on('exists', take);
        take();
        const timer = setInterval(take, box.pollMs ?? 60_000);
        await new Promise<void>((resolve) => client.once('close', () => resolve()));
        clearInterval(timer);
      } catch (err) {
        ctx.log.error({ mailbox: label, err: String(err) }, 'IMAP connection failed; retrying');
      }
      if (!stopped) await new Promise((r) => setTimeout(r, backoffMs));
      backoffMs = Math.min(backoffMs * 2, 300_000);
    }
  };
  const running = run();
  return {
    stop: async () => {
      stopped = true;
      await current?.logout().catch(() => undefined);
      await running;
    },
  };
}
