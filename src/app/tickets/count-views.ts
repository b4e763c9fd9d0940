import type { Principal } from '../../core/auth/principal.ts';
import { ticketScopeSql } from '../../core/auth/ticket-access.ts';
import { BUILTIN_VIEWS, viewSql, type BuiltinView } from '../../core/tickets/views.ts';
import type { AppContext } from '../context.ts';

/** How many tickets each built-in view holds for the caller, in one pass over their visible tickets. */
export async function countViews(ctx: AppContext, actor: Principal): Promise<Record<BuiltinView, number>> {
  const params: unknown[] = [];
  const scope = ticketScopeSql(actor, 1);
  params.push(...scope.params);
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const now = ctx.now();
  const cols = BUILTIN_VIEWS.map((v) => `count(*) FILTER (WHERE ${viewSql(v, actor, now, param)})::int AS "${v}"`);
  const [row] = await ctx.db.query<Record<BuiltinView, number>>(`SELECT ${cols.join(', ')} FROM tickets t WHERE ${scope.sql}`, params);
  return Object.fromEntries(BUILTIN_VIEWS.map((v) => [v, Number(row?.[v] ?? 0)])) as Record<BuiltinView, number>;
}
