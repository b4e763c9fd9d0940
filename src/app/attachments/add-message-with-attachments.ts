import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { addMessageInput, addMessageInTx } from '../tickets/add-message.ts';
import { attachmentsInput, screenUploads, storeUploads } from './upload-attachments.ts';

export const addMessageWithAttachmentsInput = addMessageInput.extend({ attachments: attachmentsInput.optional() });

/**
 * A reply, note or customer message with files (review item 11): the files are screened before anything
 * is written, then stored under the message in its transaction — so the outbox job the reply enqueues
 * finds them when it builds the mail, and a refused file leaves no half-written message.
 */
export async function addMessageWithAttachments(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<{ ticketId: string; messageId: string }> {
  const { attachments, ...input } = parseInput(addMessageWithAttachmentsInput, raw);
  const files = screenUploads(ctx, attachments);
  return ctx.db.transaction(async (tx) => {
    const written = await addMessageInTx(ctx, tx, actor, ref, input);
    await storeUploads(tx, written.ticketId, written.messageId, files, ctx.now());
    return written;
  });
}
