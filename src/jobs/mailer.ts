import nodemailer from 'nodemailer';
import type { AppContext, OutgoingMail } from '../app/context.ts';
import type { SendMail } from './outbox-worker.ts';

/** SMTP when REPLYBY_SMTP_URL is set; otherwise mail goes to the log, so a demo shows its sign-in links. */
export function createMailer(smtpUrl: string | undefined, from: string, log: AppContext['log']): SendMail {
  if (!smtpUrl) {
    // Attachments are named, not dumped into the log.
    return async (mail: OutgoingMail) => log.info({ mail: { ...mail, attachments: mail.attachments?.map((a) => `${a.filename} (${a.content.length} bytes)`) } }, 'mail (no SMTP configured; logged instead of sent)');
  }
  // Pooled: one SMTP connection per mail costs a TCP + EHLO round trip each (the outbox sends back to back).
  const transport = nodemailer.createTransport(smtpUrl.includes('pool=') ? smtpUrl : `${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}pool=true`);
  return async (mail: OutgoingMail) => {
    await transport.sendMail({
      from, to: mail.to, subject: mail.subject, text: mail.text,
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references?.length ? { references: mail.references } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
    });
  };
}
