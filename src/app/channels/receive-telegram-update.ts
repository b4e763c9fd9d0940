import { chatFromTelegram, telegramUpdate } from '../../core/channels/inbound-message.ts';
import { secretMatches } from '../../core/channels/signature.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { loadChannel } from './channel-row.ts';
import { parseJsonBody } from './parse-json-body.ts';
import { receiveChatMessage, type ChatOutcome } from './receive-chat-message.ts';

/**
 * Telegram's webhook call (one Update). The secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token is
 * compared in constant time before the body is read; anything but a 2xx makes Telegram redeliver, so an
 * update that is not a message (an edit, a sticker) is still answered 200, and a repeat by its update_id.
 */
export async function receiveTelegramUpdate(ctx: AppContext, channelId: string, secretHeader: string | undefined, rawBody: unknown): Promise<ChatOutcome> {
  const channel = await loadChannel(ctx.db, channelId);
  if (!channel || channel.kind !== 'telegram' || !channel.secret_sha256) throw notFound('channel');
  if (!secretHeader) throw new DomainError('unauthenticated', 'X-Telegram-Bot-Api-Secret-Token is missing');
  if (!secretMatches(secretHeader, channel.secret_sha256)) throw new DomainError('forbidden', 'X-Telegram-Bot-Api-Secret-Token does not match this channel');
  if (!channel.active) throw new DomainError('forbidden', 'this channel is disabled');
  const update = parseInput(telegramUpdate, parseJsonBody(rawBody));
  return receiveChatMessage(ctx, channel, chatFromTelegram(update), String(update.update_id));
}
