import type { AppContext } from '../app/context.ts';
import { upsertSupportAddress } from '../app/email/manage-support-addresses.ts';
import { startImapPoller } from '../channels/imap-poller.ts';
import { startSmtpListener } from '../channels/smtp-listener.ts';
import type { Config } from '../config.ts';

/** Inbound e-mail as configured: the SMTP listener (REPLYBY_SMTP_PORT) and IMAP mailboxes (REPLYBY_IMAP_URLS). */
export async function startMailChannels(ctx: AppContext, config: Config): Promise<{ stop: () => Promise<void> }> {
  if (config.supportAddress) {
    const address = config.supportAddress;
    // The first support address; more come from the admin API. An admin's later mapping is kept.
    await ctx.db.transaction((tx) => upsertSupportAddress(tx, { address, group_id: null, default_type: 'technical_question', language: 'en' }, ctx.now(), true));
  }
  const stops: (() => Promise<void>)[] = [];
  if (config.smtpListen) {
    // The name this server gives itself in the Authentication-Results it stores with each mail.
    const mailAuth = config.mailAuth.smtp ? { mta: new URL(ctx.settings.publicUrl).hostname || 'replyby' } : null;
    const listener = await startSmtpListener(ctx, { ...config.smtpListen, maxBytes: config.mailMaxBytes, mailAuth });
    ctx.log.info({ port: listener.port }, 'SMTP listener accepting mail');
    stops.push(listener.close);
  }
  for (const url of config.imapUrls) {
    const poller = startImapPoller(ctx, { url, maxBytes: config.mailMaxBytes, ...(config.mailAuth.trustedAuthservId ? { trustedAuthservId: config.mailAuth.trustedAuthservId } : {}) });
    stops.push(poller.stop);
  }
  return { stop: async () => { for (const stop of stops) await stop(); } };
}
