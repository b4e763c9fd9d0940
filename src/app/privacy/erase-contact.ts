import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import { ERASED, erasureMatcher, erasureTerms, scrubJson } from '../../core/privacy/scrub.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { parseInput } from '../shared/parse-input.ts';
import { addCounts, allowErasure, anonymiseTicket, noCounts, type ErasureCounts } from './anonymise-ticket.ts';

export const eraseContactInput = z.strictObject({
  confirm: z.literal('ERASE', { error: 'must be the word ERASE: erasure cannot be undone' }),
});

export type EraseResult = { contact_id: string; erased_at: Date; already_erased: boolean; counts: ErasureCounts };

/**
 * POST /api/v1/contacts/:id/erase (admins; docs/security.md "Personal data"): the person's name, address,
 * the texts they wrote and the files they sent are replaced by "[erased]" everywhere — their tickets,
 * messages, event payloads, raw mail, attachments, notifications, outbox payloads, conversations — in one
 * transaction; the tickets stay for the reports. A second call finds nothing left and changes nothing more.
 * The audit row names the contact by id and holds counts only.
 */
export async function eraseContact(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<EraseResult> {
  requireStaff(actor, ['admin']);
  parseInput(eraseContactInput, raw);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [contact] = await tx.query<{ id: string; email: string | null; name: string; erased_at: Date | null }>(
      'SELECT id, email, name, erased_at FROM contacts WHERE id = $1 FOR UPDATE', [id]);
    if (!contact) throw notFound('contact');
    await allowErasure(tx);
    const person = { id, email: contact.email, name: contact.name };
    const tickets = await tx.query<{ id: string; requested: boolean }>(
      `SELECT id, bool_or(requested) AS requested FROM (
         SELECT id, true AS requested FROM tickets WHERE requester_id = $1
         UNION ALL SELECT ticket_id, false FROM messages WHERE author_kind = 'contact' AND author_id = $1
         UNION ALL SELECT ticket_id, false FROM closure_answers WHERE contact_id = $1) x
       GROUP BY id ORDER BY id`, [id]);
    let counts = noCounts();
    const subjects: string[] = [];
    for (const t of tickets) {
      if (t.requested) {
        const [s] = await tx.query<{ subject: string }>('SELECT subject FROM tickets WHERE id = $1', [t.id]);
        if (s && s.subject !== ERASED) subjects.push(s.subject);
      }
      counts = addCounts(counts, await anonymiseTicket(tx, t.id, person, t.requested, now));
    }

    // Staff digests and webhook deliveries carry rendered titles (subjects, names) and no ticket id to find them by.
    const matcher = erasureMatcher(erasureTerms({ email: contact.email, name: contact.name, texts: subjects }));
    const needles = [contact.email, contact.name, ...subjects].filter((s): s is string => !!s && s !== ERASED && s.length >= 3).map((s) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (needles.length) {
      const jobs = await tx.query<{ id: string; payload: unknown }>(
        "SELECT id, payload FROM outbox WHERE kind IN ('mail.staff', 'webhook.deliver', 'notify.email', 'mail.trigger') AND payload::text ILIKE ANY($1::text[])", [needles]);
      for (const j of jobs) {
        await tx.query('UPDATE outbox SET payload = $2::jsonb WHERE id = $1', [j.id, JSON.stringify(scrubJson(j.payload, matcher))]);
        counts.outbox_jobs++;
      }
    }
    // Their chat-widget lines outside a ticket's (none is linked yet, or the link was cleared): the visitor's own.
    const chat = await tx.query<{ n: number }>(
      `WITH e AS (UPDATE widget_messages SET body = $2, author_name = NULL
                   WHERE author = 'visitor' AND conversation_id IN (SELECT id FROM channel_conversations WHERE contact_id = $1)
                     AND (body <> $2 OR author_name IS NOT NULL) RETURNING 1)
       SELECT count(*)::int AS n FROM e`, [id, ERASED]);
    counts.chat_messages += chat[0]?.n ?? 0;
    // Their messenger chats: the chat id is theirs; a later message from it starts a new contact.
    await tx.query("UPDATE channel_conversations SET external_id = 'erased:' || id WHERE contact_id = $1 AND external_id NOT LIKE 'erased:%'", [id]);
    if (contact.email) await tx.query('DELETE FROM mail_ack_log WHERE address = $1', [contact.email]);
    await tx.query('DELETE FROM idempotency_keys WHERE scope = $1', [`contact:${id}`]);
    await tx.query("DELETE FROM sessions WHERE principal_kind = 'contact' AND principal_id = $1", [id]);
    await tx.query('DELETE FROM magic_links WHERE contact_id = $1', [id]);
    const [row] = await tx.query<{ erased_at: Date }>(
      `UPDATE contacts SET name = $2, email = NULL, password_hash = NULL, erased_at = COALESCE(erased_at, $3), updated_at = $3
        WHERE id = $1 RETURNING erased_at`, [id, ERASED, now]);
    await recordAudit(tx, actor, { action: 'erase', target: 'contact', targetId: id, before: null, after: { already_erased: contact.erased_at !== null, ...counts } }, now);
    return { contact_id: id, erased_at: row!.erased_at, already_erased: contact.erased_at !== null, counts };
  });
}
