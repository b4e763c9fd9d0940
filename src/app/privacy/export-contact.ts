import type { Principal } from '../../core/auth/principal.ts';
import { notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';

/** At most this many tickets per export (newest first); `truncated` says when the person has more. */
export const EXPORT_TICKET_LIMIT = 500;

type Json = Record<string, unknown>;
export type ContactExport = {
  exported_at: Date;
  contact: Json;
  tickets: Json[];
  truncated: boolean;
  messages: Json[];
  events: Json[];
  attachments: Json[];
  conversations: Json[];
  satisfaction: Json[];
};

/**
 * GET /api/v1/contacts/:id/export (admins; docs/security.md "Personal data"): everything held about one
 * person as JSON — the contact, the tickets they requested (newest 500), the public messages on them and
 * every message they wrote, the tickets' events, attachment metadata with download links, their messenger
 * conversations and satisfaction answers. Internal notes are staff's, not the person's, and stay out.
 * Bounded, read in one transaction, with an audit row (ids and counts only).
 */
export async function exportContact(ctx: AppContext, actor: Principal, id: string): Promise<ContactExport> {
  requireStaff(actor, ['admin']);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [contact] = await tx.query<Json>(
      `SELECT c.id, c.email, c.name, c.language, c.time_zone, c.organization_id, o.name AS organization, c.is_org_manager,
              c.password_hash IS NOT NULL AS has_portal_password, c.created_at, c.updated_at, c.erased_at
         FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1`, [id]);
    if (!contact) throw notFound('contact');
    const tickets = await tx.query<Json & { id: string }>(
      `SELECT id, number, subject, type, priority, status, channel, created_at, updated_at, solved_at, closed_at, anonymised_at
         FROM tickets WHERE requester_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [id, EXPORT_TICKET_LIMIT + 1]);
    const truncated = tickets.length > EXPORT_TICKET_LIMIT;
    if (truncated) tickets.pop();
    const ids = tickets.map((t) => t.id);
    const messages = await tx.query<Json>(
      `SELECT m.id, m.ticket_id, m.kind, m.author_kind, m.author_kind = 'contact' AND m.author_id = $2 AS written_by_contact, m.body_text, m.created_at
         FROM messages m
        WHERE (m.ticket_id = ANY($1::uuid[]) AND m.kind = 'public') OR (m.author_kind = 'contact' AND m.author_id = $2)
        ORDER BY m.created_at, m.id`, [ids, id]);
    const events = await tx.query<Json>(
      `SELECT ticket_id, seq, kind, actor_kind, before, after, created_at FROM ticket_events
        WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id, seq`, [ids]);
    const attachments = await tx.query<Json & { id: string; ticket_id: string }>(
      `SELECT a.id, a.ticket_id, a.message_row_id AS message_id, a.filename, a.content_type, a.size_bytes, a.content IS NOT NULL AS stored, a.created_at
         FROM mail_attachments a WHERE a.ticket_id = ANY($1::uuid[]) ORDER BY a.created_at, a.id`, [ids]);
    const conversations = await tx.query<Json>(
      `SELECT v.id, ch.kind AS channel_kind, ch.name AS channel, v.external_id, v.ticket_id, v.created_at
         FROM channel_conversations v JOIN channels ch ON ch.id = v.channel_id WHERE v.contact_id = $1 ORDER BY v.created_at`, [id]);
    const satisfaction = await tx.query<Json>(
      'SELECT ticket_id, outcome, rating, comment, via, created_at FROM closure_answers WHERE contact_id = $1 ORDER BY created_at, id', [id]);
    await recordAudit(tx, actor, { action: 'export', target: 'contact', targetId: id, before: null, after: { tickets: tickets.length, messages: messages.length, truncated } }, now);
    return {
      exported_at: now, contact, tickets, truncated, messages, events,
      attachments: attachments.map((a) => ({ ...a, download_url: `/api/v1/tickets/${a.ticket_id}/attachments/${a.id}` })),
      conversations, satisfaction,
    };
  });
}
