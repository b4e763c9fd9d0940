// What the side-conversation use cases share: loading one with its ticket under the access rule, and the API shape.
import type { Principal } from '../../core/auth/principal.ts';
import { canSeeTicket } from '../../core/auth/ticket-access.ts';
import { notFound } from '../../core/errors.ts';
import { canUseSideConversation, waitedMs, type SideState } from '../../core/sideconv/side-conversation.ts';
import type { Queryable } from '../../store/db.ts';
import { findTicketView, type TicketView } from '../../store/repos/tickets-repo.ts';
import { parseTicketRef } from '../tickets/load-visible-ticket.ts';

export type SideRow = {
  id: string; ticket_id: string; kind: 'group' | 'email'; group_id: string | null; group_name: string | null; external_address: string | null;
  subject: string; token: string; state: SideState; waited_ms: string | number; waiting_since: Date | null;
  created_by: string | null; created_by_name: string | null; created_at: Date; updated_at: Date; message_count: number; last_message_at: Date | null;
};
export type SideMessageRow = { id: string; side: 'ours' | 'theirs'; author_id: string | null; author_name: string | null; from_address: string | null; body_text: string; created_at: Date };

export const SIDE_SELECT = `SELECT s.*, g.name AS group_name, u.name AS created_by_name,
    (SELECT count(*)::int FROM side_conversation_messages m WHERE m.side_conversation_id = s.id) AS message_count,
    (SELECT max(created_at) FROM side_conversation_messages m WHERE m.side_conversation_id = s.id) AS last_message_at
  FROM side_conversations s LEFT JOIN groups g ON g.id = s.group_id LEFT JOIN users u ON u.id = s.created_by`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The side conversation `id` of ticket `ref`, if the principal may use it (else "not found": nothing leaks). `lock`: FOR UPDATE. */
export async function loadSideConversation(q: Queryable, p: Principal, ref: string, id: string, lock = false): Promise<{ ticket: TicketView; side: SideRow }> {
  if (!UUID.test(id)) throw notFound('side conversation');
  const ticket = await findTicketView(q, parseTicketRef(ref));
  if (!ticket) throw notFound('side conversation');
  if (lock) await q.query('SELECT 1 FROM side_conversations WHERE id = $1 FOR UPDATE', [id]);
  const [side] = await q.query<SideRow>(`${SIDE_SELECT} WHERE s.id = $1 AND s.ticket_id = $2`, [id, ticket.id]);
  if (!side || !canUseSideConversation(p, canSeeTicket(p, ticket), side)) throw notFound('side conversation');
  return { ticket, side };
}

export function presentSide(s: SideRow, now: Date) {
  return {
    id: s.id, ticket_id: s.ticket_id, kind: s.kind,
    group: s.group_id ? { id: s.group_id, name: s.group_name ?? '' } : null,
    external_address: s.external_address, subject: s.subject, token: s.token, state: s.state,
    waited_minutes: Math.floor(waitedMs({ waited_ms: Number(s.waited_ms), waiting_since: s.waiting_since }, now) / 60_000),
    waiting_since: s.waiting_since?.toISOString() ?? null,
    created_by: s.created_by ? { id: s.created_by, name: s.created_by_name ?? '' } : null,
    created_at: s.created_at.toISOString(), updated_at: s.updated_at.toISOString(),
    message_count: s.message_count, last_message_at: s.last_message_at?.toISOString() ?? null,
  };
}
export type SideConversationView = ReturnType<typeof presentSide>;

export function presentSideMessage(m: SideMessageRow) {
  return {
    id: m.id, side: m.side, author: m.author_id ? { id: m.author_id, name: m.author_name ?? '' } : null,
    from_address: m.from_address, body_text: m.body_text, created_at: m.created_at.toISOString(),
  };
}

export async function listSideMessages(q: Queryable, sideId: string): Promise<SideMessageRow[]> {
  return q.query<SideMessageRow>(
    `SELECT m.id, m.side, m.author_id, u.name AS author_name, m.from_address, m.body_text, m.created_at
     FROM side_conversation_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.side_conversation_id = $1 ORDER BY m.seq`, [sideId]);
}
