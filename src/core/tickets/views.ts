import type { Principal } from '../auth/principal.ts';
import { UNSOLVED_STATUSES } from './ticket-model.ts';

/** The agent workspace's built-in views, in the order the sidebar shows them. */
export const BUILTIN_VIEWS = ['mine', 'my_groups', 'unassigned', 'due_soon', 'pending', 'on_hold', 'all_open', 'solved', 'all', 'snoozed'] as const;
export type BuiltinView = (typeof BUILTIN_VIEWS)[number];

/** "Due soon" means within this long (or already breached). */
export const DUE_SOON_MS = 60 * 60_000;

const UNSOLVED = `t.status IN (${UNSOLVED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * A view as a SQL predicate over the `tickets` alias `t` (on top of the caller's visibility scope).
 * `param(value)` adds a bind parameter and returns its placeholder.
 */
export function viewSql(view: BuiltinView, actor: Principal, now: Date, param: (v: unknown) => string): string {
  // The working views leave snoozed tickets out until they wake; "snoozed", "pending", "solved" and "all" show them.
  const awake = () => `NOT COALESCE(t.snoozed_until > ${param(now)}::timestamptz, false)`;
  switch (view) {
    case 'mine':
      return `t.assignee_id = ${param(actor.id)} AND ${UNSOLVED} AND ${awake()}`;
    case 'my_groups':
      return `t.group_id = ANY(${param(actor.kind === 'user' ? [...actor.groupIds] : [])}::uuid[]) AND ${UNSOLVED} AND ${awake()}`;
    case 'unassigned':
      return `t.assignee_id IS NULL AND ${UNSOLVED} AND ${awake()}`;
    case 'due_soon':
      return `${UNSOLVED} AND ${awake()} AND (t.sla_breached OR COALESCE(t.sla_next_due_at, 'infinity'::timestamptz) <= ${param(new Date(now.getTime() + DUE_SOON_MS))}::timestamptz)`;
    case 'pending':
      return `t.status = 'pending'`;
    case 'on_hold':
      return `t.status = 'on_hold'`;
    case 'all_open':
      return `${UNSOLVED} AND ${awake()}`;
    case 'solved':
      return `t.status IN ('solved', 'closed')`;
    case 'all':
      return 'TRUE';
    case 'snoozed':
      // Hidden from the working queue until a date or the customer's reply (routing/snooze-ticket.ts).
      return `COALESCE(t.snoozed_until > ${param(now)}::timestamptz, false)`;
  }
}

/** Search words → a prefix tsquery ("print blank" → 'print':* & 'blank':*); null when nothing searchable remains. */
export function searchQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}@._+-]*/gu) ?? []).slice(0, 8);
  const terms = words.map((w) => w.replace(/[^\p{L}\p{N}@._+-]/gu, '')).filter(Boolean);
  return terms.length ? terms.map((w) => `'${w.replace(/'/g, '')}':*`).join(' & ') : null;
}
