import nodemailer from 'nodemailer';
import type { AppContext, OutgoingMail } from '../app/context.ts';
import type { SendMail } from './outbox-worker.ts';

/** SMTP when REPLYBY_SMTP_URL is set; otherwise mail goes to the log, so a demo shows its sign-in links. */
export function createMailer(smtpUrl: string | undefined, from: string, log: AppContext['log']): SendMail {
  if (!smtpUrl) {
    return async (mail: OutgoingMail) => log.info({ mail }, 'mail (no SMTP configured; logged instead of sent)');
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return async (mail: OutgoingMail) => {
    await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.messageId ? { messageId: mail.messageId } : {}) });
  };
}
