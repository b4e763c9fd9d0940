import { simpleParser } from 'mailparser';
// A real SMTP server on loopback that keeps what the Replyby server sends, so journeys can open the
// links customers receive by e-mail (the only way a customer is signed in without a password).

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Mail = { to: string[]; subject: string; text: string; /** The Message-ID header, for a reply's In-Reply-To. */ messageId?: string;
  /** MIME attachments (review item 11: an agent's files on a reply). */ attachments?: { filename: string; content: Buffer }[] };

export type Mailbox = {
  url: string;
  /** Waits for the first mail to `to` whose text matches `pattern`, among those after the first `after` received. */
  waitFor: (to: string, pattern: RegExp, after?: number) => Promise<Mail>;
  all: () => readonly Mail[];
  close: () => Promise<void>;
};

/** The path of the sign-in link in a mail (its origin is the server's configured public URL), or null. */
export const signInPathIn = (mail: Mail): string | null => /https?:\/\/\S+?(\/api\/v1\/portal\/magic\/rbm_[A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? null;

export async function startMailbox(): Promise<Mailbox> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      // mailparser decodes what a mail client would (quoted-printable, base64, charsets): Cyrillic mails arrive base64-encoded.
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then((parsed) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject: parsed.subject ?? '', text: parsed.text ?? '', ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
            attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', content: a.content })) });
          callback();
        }, (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    async waitFor(to, pattern, after = 0) {
      const timeoutMs = 20_000;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = mails.slice(after).find((m) => m.to.includes(to.toLowerCase()) && pattern.test(m.text));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${pattern} within ${timeoutMs / 1000}s (${mails.length} mails received)`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    all: () => mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
