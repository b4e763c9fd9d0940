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

/**
 * What the views look at, for a group of tickets alike in it: the view counts fold a per-process rollup of these
 * (app/tickets/count-views.ts) instead of scanning every ticket per viewer. `snoozed` and `due` are taken at the
 * rollup's `now`, exactly as `viewSql` takes them.
 */
export type ViewFacet = {
  status: string;
  group_id: string | null;
  assignee_id: string | null;
  /** `snoozed_until > now` */
  snoozed: boolean;
  /** breached, or next due within DUE_SOON_MS of now */
  due: boolean;
};

const UNSOLVED_SET: ReadonlySet<string> = new Set(UNSOLVED_STATUSES);

/** `viewSql` as a predicate over a facet (the two must agree; test/workspace-api.test.ts checks every view per role). */
export function viewMatches(view: BuiltinView, actor: Principal, f: ViewFacet): boolean {
  const working = UNSOLVED_SET.has(f.status) && !f.snoozed;
  switch (view) {
    case 'mine':
      return working && f.assignee_id === actor.id;
    case 'my_groups':
      return working && f.group_id !== null && actor.kind === 'user' && actor.groupIds.includes(f.group_id);
    case 'unassigned':
      return working && f.assignee_id === null;
    case 'due_soon':
      return working && f.due;
    case 'pending':
      return f.status === 'pending';
    case 'on_hold':
      return f.status === 'on_hold';
    case 'all_open':
      return working;
    case 'solved':
      return f.status === 'solved' || f.status === 'closed';
    case 'all':
      return true;
    case 'snoozed':
      return f.snoozed;
  }
}

/** Search words → a prefix tsquery ("print blank" → 'print':* & 'blank':*); null when nothing searchable remains. */
export function searchQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}@._+-]*/gu) ?? []).slice(0, 8);
  const terms = words.map((w) => w.replace(/[^\p{L}\p{N}@._+-]/gu, '')).filter(Boolean);
  return terms.length ? terms.map((w) => `'${w.replace(/'/g, '')}':*`).join(' & ') : null;
}
