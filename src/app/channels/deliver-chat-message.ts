import { randomUUID } from 'node:crypto';
import { chatAcknowledgement, splitChatText } from '../../core/channels/chat-texts.ts';
import { signBody } from '../../core/channels/signature.ts';
import type { AppContext } from '../context.ts';
import { PROMISE_COLUMNS, promiseData, type PromiseColumns } from '../promise/promise-for-ticket.ts';
import { postToPublicUrl } from '../shared/fetch-public-url.ts';
import { Undeliverable } from '../shared/outbox.ts';
import type { ChannelRow } from './channel-row.ts';
import { appendWidgetMessage } from './widget-log.ts';

const TIMEOUT_MS = 10_000;
export const TELEGRAM_API_URL = 'https://api.telegram.org';

type Target = ChannelRow & { conversation: string; conversation_row: string; ticket_id: string; number: number } & PromiseColumns;

/**
 * The `channel.send` job: the acknowledgement (with the promise as stored at intake, in the customer's
 * language and zone) or an agent's public reply, sent to the chat the ticket came from. Anything but
 * success throws, so the outbox retries with backoff and files a dead letter; what can never succeed
 * (a chat that blocked the bot, a channel switched off) is a dead letter at once.
 */
export async function deliverChatMessage(ctx: AppContext, job: { id?: string; payload: Record<string, unknown> }): Promise<void> {
  const ticketId = typeof job.payload.ticket_id === 'string' ? job.payload.ticket_id : null;
  const [target] = await ctx.db.query<Target>(
    `SELECT ch.id, ch.kind, ch.name, ch.active, ch.group_id, ch.bot_token, ch.secret_sha256, ch.signing_secret, ch.outbound_url,
       cc.external_id AS conversation, cc.id AS conversation_row, t.id AS ticket_id, t.number, ${PROMISE_COLUMNS}
     FROM channel_tickets ct JOIN channel_conversations cc ON cc.id = ct.conversation_id JOIN channels ch ON ch.id = cc.channel_id
       JOIN tickets t ON t.id = ct.ticket_id JOIN contacts c ON c.id = t.requester_id
     WHERE ct.ticket_id = $1`, [ticketId]);
  if (!target) throw new Undeliverable('the ticket did not come from a messenger chat');
  if (!target.active) throw new Undeliverable(`the channel "${target.name}" is disabled`);
  const promise = promiseData(target);
  const ref = `${ctx.settings.ticketPrefix}${target.number}`;
  let text: string;
  let author: string | null = null;
  const messageId = typeof job.payload.message_id === 'string' ? job.payload.message_id : null;
  if (job.payload.what === 'acknowledgement') {
    text = chatAcknowledgement(promise.language, ref, promise.words);
  } else {
    const [m] = await ctx.db.query<{ body_text: string; author: string | null }>(
      'SELECT m.body_text, u.name AS author FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1 AND m.ticket_id = $2', [messageId, target.ticket_id]);
    if (!m) return;
    text = m.body_text;
    author = m.author;
  }
  if (target.kind === 'widget') {
    // The widget's log: its open streams hear of it by NOTIFY; a retried job writes once (by its source id).
    const ack = job.payload.what === 'acknowledgement';
    await ctx.db.transaction((tx) => appendWidgetMessage(tx, target.conversation_row,
      { author: ack ? 'system' : 'agent', authorName: author, body: text, ticketId: target.ticket_id, sourceId: messageId ?? `ack-${target.ticket_id}` }, ctx.now()));
    return;
  }
  if (target.kind === 'telegram') return sendTelegram(ctx, target, text);
  const body = JSON.stringify({
    event: job.payload.what === 'acknowledgement' ? 'acknowledgement' : 'reply',
    // Stable across retries: the receiver drops a repeat by it.
    id: messageId ?? `ack-${target.ticket_id}`,
    conversation_id: target.conversation,
    ticket: { id: target.ticket_id, number: target.number, ref },
    language: promise.language,
    text,
    ...(author ? { author: { name: author } } : {}),
    ...(job.payload.what === 'acknowledgement' ? { promise: { promised_at: promise.view?.promised_at ?? null } } : {}),
  });
  const status = await postToPublicUrl(target.outbound_url ?? '', body, {
    'x-replyby-signature': signBody(target.signing_secret ?? '', Math.floor(ctx.now().getTime() / 1000), body),
    'x-replyby-delivery': job.id ?? randomUUID(),
  }, { allowPrivate: ctx.settings.allowPrivateUrls ?? false, timeoutMs: TIMEOUT_MS });
  if (status < 200 || status > 299) throw new Error(`the messenger answered ${status}`);
}

/** Bot API sendMessage, one call per 4,096 characters (Telegram's limit), in order. */
async function sendTelegram(ctx: AppContext, target: Target, text: string): Promise<void> {
  const base = (ctx.settings.telegramApiUrl ?? TELEGRAM_API_URL).replace(/\/+$/, '');
  for (const part of splitChatText(text, 4096)) {
    let res: Response;
    try {
      res = await fetch(`${base}/bot${target.bot_token ?? ''}/sendMessage`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: target.conversation, text: part }), signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      // The token is in the URL: the error names the host only.
      throw new Error(`the Bot API at ${new URL(base).host} could not be reached (${err instanceof Error ? err.name : 'error'})`);
    }
    const answer = await res.json().catch(() => null) as { ok?: boolean; description?: string } | null;
    if (res.ok && answer?.ok) continue;
    const why = `the Bot API answered ${res.status}${answer?.description ? `: ${answer.description.slice(0, 300)}` : ''}`;
    // 400 (chat not found), 401 (token revoked), 403 (the customer blocked the bot) will not change by retrying; 429 and 5xx may.
    if (res.status === 400 || res.status === 401 || res.status === 403) throw new Undeliverable(why);
    throw new Error(why);
  }
}
