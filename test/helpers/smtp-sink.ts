import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SinkMail = { to: string[]; parsed: ParsedMail; raw: string; header: (name: string) => string };
export type SmtpSink = { url: string; mails: SinkMail[]; close: () => Promise<void> };

/** A real SMTP server on loopback (random port) that keeps what it receives, parsed by mailparser. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          const header = (name: string): string => {
            const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
            return line.replace(/^[^:]+:\s*/, '').replace(/\r?\n[ \t]+/g, ' ').trim();
          };
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed, raw: raw.toString('utf8'), header });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A sender that drops its connection (a worker killed mid-send) is the sender's failure, not the sink's:
  // without a listener the server's 'error' event would end the test process.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
