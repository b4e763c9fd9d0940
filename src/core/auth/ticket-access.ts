import type { Principal } from './principal.ts';

export type TicketScope = {
  requester_id: string;
  organization_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
};

/**
 * Who may see a ticket: a customer their own (an organization manager: the organization's),
 * an agent those of their groups or assigned to them, supervisors and admins all.
 */
export function canSeeTicket(p: Principal, t: TicketScope): boolean {
  if (p.kind === 'contact') {
    if (t.requester_id === p.id) return true;
    return p.isOrgManager && p.organizationId !== null && t.organization_id === p.organizationId;
  }
  if (p.role === 'supervisor' || p.role === 'admin') return true;
  if (t.assignee_id === p.id) return true;
  return t.group_id !== null && p.groupIds.includes(t.group_id);
}

/** The same rule as a SQL predicate over the `tickets` alias `t`, for list queries. Returns [sql, params]. */
export function ticketScopeSql(p: Principal, firstParam: number): { sql: string; params: unknown[] } {
  const n = firstParam;
  if (p.kind === 'contact') {
    if (p.isOrgManager && p.organizationId) {
      return { sql: `(t.requester_id = $${n} OR t.organization_id = $${n + 1})`, params: [p.id, p.organizationId] };
    }
    return { sql: `t.requester_id = $${n}`, params: [p.id] };
  }
  if (p.role === 'supervisor' || p.role === 'admin') return { sql: 'TRUE', params: [] };
  return { sql: `(t.assignee_id = $${n} OR t.group_id = ANY($${n + 1}::uuid[]))`, params: [p.id, [...p.groupIds]] };
}
