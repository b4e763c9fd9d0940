import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict } from '../../core/errors.ts';
import { CHANNELS, TICKET_STAGES, TICKET_STATUSES } from '../../core/tickets/ticket-model.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from './audit.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from './parse-input.ts';

type Entry = { key: string; label: string };
const LIST_PARAM = { types: 'ticket_type', priorities: 'priority', tiers: 'tier' } as const;

export async function getLists(ctx: AppContext) {
  const rows = await ctx.db.query<Entry & { list: string }>('SELECT list, key, label FROM list_entries ORDER BY list, position, key');
  const of = (list: string) => rows.filter((r) => r.list === list).map(({ key, label }) => ({ key, label }));
  return {
    types: of('ticket_type'), priorities: of('priority'), tiers: of('tier'),
    statuses: [...TICKET_STATUSES], stages: [...TICKET_STAGES], channels: [...CHANNELS],
  };
}

export const listEntryInput = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case, at most 40 characters'), label: z.string().trim().min(1).max(100) });
export const listNameSchema = z.enum(['types', 'priorities', 'tiers']);

/** Admins extend the editable lists (types, priorities, tiers). */
export async function addListEntry(ctx: AppContext, actor: Principal, listParam: string, raw: unknown): Promise<Entry> {
  requireStaff(actor, MANAGERS);
  const list = LIST_PARAM[parseInput(listNameSchema, listParam, 'list')];
  const input = parseInput(listEntryInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<Entry>(
      `INSERT INTO list_entries (list, key, label, position) VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM list_entries WHERE list = $1))
       ON CONFLICT DO NOTHING RETURNING key, label`, [list, input.key, input.label]);
    if (!row) throw conflict('this key exists in the list', 'key');
    await recordAudit(tx, actor, { action: 'create', target: 'list_entry', targetId: `${list}:${row.key}`, after: row }, ctx.now());
    return row;
  });
}
