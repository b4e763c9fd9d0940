import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { createTicketInTx, namesField } from '../tickets/create-ticket.ts';
import { URGENCIES } from '../../core/promise/index.ts';
import type { PromiseView } from '../promise/promise-view.ts';
import { attachmentsInput, screenUploads, storeUploads } from '../attachments/upload-attachments.ts';

export const webRequestInput = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(254),
  subject: z.string().trim().min(1, 'is required').max(250),
  message: z.string().trim().min(1, 'is required').max(50_000),
  type: z.string().trim().min(1).max(40).default('technical_question'),
  /** The browser's language (navigator.language) and zone, so the acknowledgement speaks the customer's. */
  language: z.string().trim().max(35).optional(),
  time_zone: z.string().trim().max(64).optional(),
  urgency: z.enum(URGENCIES, { error: `must be one of ${URGENCIES.join(', ')}` }).default('normal'),
  /** Files (base64), screened like every upload: executables and files over the limits are refused by index. */
  attachments: attachmentsInput.optional(),
});

/**
 * The public web form: a ticket for the requester (found or created by e-mail). The answer carries the
 * ticket's portal address but never a sign-in: anyone can type any e-mail address into a public form,
 * so only the acknowledgement mail (sent to that address) carries the link that signs the customer in.
 */
export async function submitWebRequest(ctx: AppContext, raw: unknown): Promise<{ number: number; follow_url: string; promise: PromiseView | null }> {
  const input = parseInput(webRequestInput, raw);
  // Screened before the transaction: a refused file means no ticket and no acknowledgement, and the form says which file.
  const files = screenUploads(ctx, input.attachments);
  return ctx.db.transaction(async (tx) => {
    const { ticket, promise, messageId } = await createTicketInTx(ctx, tx, null, {
      subject: input.subject, message: input.message, type: input.type, priority: 'normal', urgency: input.urgency,
      requester: { email: input.email, name: input.name, language: input.language, time_zone: input.time_zone }, tags: [], channel: 'web_form', acknowledge: true,
    }, 'web_form', { typeChosen: namesField(raw, 'type') });
    // Under the request's first message, so they show beneath it (staff and the customer's portal alike).
    if (files.length) await storeUploads(tx, ticket.id, messageId, files, ctx.now());
    // Absolute, so API clients can show it as it is.
    return { number: ticket.number, follow_url: `${ctx.settings.publicUrl}/portal/tickets/${ticket.number}`, promise };
  });
}
