import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../app/context.ts';
import { MailAuthUndecided, authenticateSmtpMail, type DnsResolver } from '../app/email/authenticate-mail.ts';
import { receiveMail, type InboundAuth, type InboundOutcome } from '../app/email/receive-mail.ts';

export type SmtpListener = { port: number; close: () => Promise<void> };

/**
 * The built-in inbound SMTP server (REPLYBY_SMTP_PORT). A mail is accepted (250) only after its raw bytes
 * are committed, so a sender never hears "accepted" for mail we could lose; a database failure answers
 * 451 and the sender's MTA retries later, as does a DNS error that leaves sender authentication undecided.
 */
export type SmtpListenerOptions = {
  port: number; host: string; maxBytes: number; onReceived?: (o: InboundOutcome) => void;
  /**
   * SPF, DKIM and DMARC of every mail (docs/security.md): `mta` names this server in the
   * Authentication-Results it stores; `resolver` replaces the system's DNS (tests). null: no checks
   * (REPLYBY_MAIL_AUTH=0, local development) — mail is then allowed as before, marked unchecked.
   */
  mailAuth: { mta: string; resolver?: DnsResolver } | null;
};

export async function startSmtpListener(ctx: AppContext, options: SmtpListenerOptions): Promise<SmtpListener> {
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    size: options.maxBytes,
    banner: 'Replyby',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error(`message exceeds ${options.maxBytes} bytes`), { responseCode: 552 }));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const raw = Buffer.concat(chunks);
        const check = async (): Promise<InboundAuth> => {
          if (!options.mailAuth) return null;
          const peer = { ip: session.remoteAddress, helo: session.hostNameAppearsAs || null, mailFrom: mailFrom ? mailFrom.address : null };
          const { facts, header } = await authenticateSmtpMail(raw, peer, options.mailAuth);
          return { checked: facts, header };
        };
        check().then((auth) => receiveMail(ctx, {
          raw, source: 'smtp',
          envelopeFrom: mailFrom ? mailFrom.address : null,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          auth,
        })).then((outcome) => {
          options.onReceived?.(outcome);
          callback();
        }, (err: unknown) => {
          if (err instanceof MailAuthUndecided) {
            // Nothing stored: the sending server keeps the mail and retries (RFC 7208 §8.6: 451 4.4.3).
            ctx.log.warn({ reason: err.reason, from: mailFrom ? mailFrom.address : null }, 'inbound mail deferred: sender authentication hit a DNS error');
            callback(Object.assign(new Error(`4.4.3 ${err.reason}; try again later`), { responseCode: 451 }));
            return;
          }
          ctx.log.error({ err: String(err) }, 'inbound mail could not be stored');
          callback(Object.assign(new Error('temporarily unable to store the message'), { responseCode: 451 }));
        });
      });
    },
  });
  server.on('error', (err) => ctx.log.error({ err: String(err) }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
