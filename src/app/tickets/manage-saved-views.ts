import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, forbidden, notFound } from '../../core/errors.ts';
import { BUILTIN_VIEWS } from '../../core/tickets/views.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { SORTS } from './list-tickets.ts';

export const QUEUE_COLUMNS = ['number', 'subject', 'requester', 'priority', 'status', 'group', 'assignee', 'sla', 'updated', 'tags'] as const;

export const savedViewInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    base: z.enum(BUILTIN_VIEWS).default('all_open'),
    q: z.string().trim().max(200).optional(),
    priority: z.array(z.string().max(40)).max(10).optional(),
    sort: z.enum(SORTS).default('due'),
    columns: z.array(z.enum(QUEUE_COLUMNS)).min(1).max(QUEUE_COLUMNS.length),
  })
  .strict();
export type SavedViewDefinition = Omit<z.infer<typeof savedViewInput>, 'name'>;
export type SavedView = { id: string; name: string; definition: SavedViewDefinition; created_at: Date };

function staffOnly(actor: Principal): void {
  if (actor.kind !== 'user') throw forbidden('saved views are for staff');
}

export async function listSavedViews(ctx: AppContext, actor: Principal): Promise<SavedView[]> {
  staffOnly(actor);
  return ctx.db.query<SavedView>('SELECT id, name, definition, created_at FROM saved_views WHERE user_id = $1 ORDER BY name', [actor.id]);
}

export async function createSavedView(ctx: AppContext, actor: Principal, raw: unknown): Promise<SavedView> {
  staffOnly(actor);
  const { name, ...definition } = parseInput(savedViewInput, raw);
  const [row] = await ctx.db.query<SavedView>(
    `INSERT INTO saved_views (user_id, name, definition, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, name) DO NOTHING RETURNING id, name, definition, created_at`,
    [actor.id, name, JSON.stringify(definition), ctx.now()],
  );
  if (!row) throw conflict('you already have a view with this name', 'name');
  return row;
}

export async function deleteSavedView(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  staffOnly(actor);
  const rows = await ctx.db.query('DELETE FROM saved_views WHERE id = $1 AND user_id = $2 RETURNING id', [id, actor.id]);
  if (rows.length === 0) throw notFound('view');
}
