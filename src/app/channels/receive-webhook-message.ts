import { chatFromWebhook, webhookMessage } from '../../core/channels/inbound-message.ts';
import { checkSignature } from '../../core/channels/signature.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadChannel } from './channel-row.ts';
import { parseJsonBody } from './parse-json-body.ts';
import { receiveChatMessage, type ChatOutcome } from './receive-chat-message.ts';

const PROBLEMS = {
  missing: 'X-Replyby-Signature is missing',
  malformed: 'X-Replyby-Signature must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"',
  stale: 'X-Replyby-Signature is timestamped more than 5 minutes from now (a replay, or a clock that is off)',
  mismatch: 'X-Replyby-Signature does not match the body and this channel\'s secret',
} as const;

/**
 * A message from the generic webhook channel (docs/channels.md): the signature over the exact bytes is
 * checked first (with its timestamp, against replays), then the body; a repeated message id is answered
 * 200 with status "duplicate".
 */
export async function receiveWebhookMessage(ctx: AppContext, channelId: string, signature: string | undefined, rawBody: unknown): Promise<ChatOutcome> {
  const channel = await loadChannel(ctx.db, channelId);
  if (!channel || channel.kind !== 'webhook' || !channel.signing_secret) throw notFound('channel');
  const problem = checkSignature(signature, channel.signing_secret, typeof rawBody === 'string' ? rawBody : '', ctx.now().getTime());
  if (problem) throw new DomainError('unauthenticated', PROBLEMS[problem]);
  if (!channel.active) throw new DomainError('forbidden', 'this channel is disabled');
  const message = parseInput(webhookMessage, parseJsonBody(rawBody));
  return receiveChatMessage(ctx, channel, chatFromWebhook(message), message.id);
}
