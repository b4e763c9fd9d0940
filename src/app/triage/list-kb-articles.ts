import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { ARTICLE_STATUSES } from './manage-kb.ts';
import { requireStaff } from './staff.ts';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query of GET /api/v1/kb/articles: every filter optional; `archived` absent = live articles only. */
export const articleListInput = z.object({
  category_id: z.union([z.string().uuid('must be a UUID'), z.literal('none')]).optional(),
  language: z.string().trim().min(2).max(10).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  archived: flag.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
}).strict();

export type ArticleListItem = {
  id: string; title: string; language: string; status: string; category_id: string | null; original_id: string | null;
  updated_at: Date; archived_at: Date | null; translations: number;
};
export type ArticlePage = { data: ArticleListItem[]; total: number; page: number; per_page: number };

/**
 * Staff's list of articles, newest change first, a page at a time, filtered by category ("none": without
 * one), language, status and archived or not. The admin screen had search only, so an article whose words
 * one did not remember could not be found.
 */
export async function listKbArticles(ctx: AppContext, actor: Principal, raw: unknown): Promise<ArticlePage> {
  requireStaff(actor);
  const input = parseInput(articleListInput, raw);
  const where = `($1::text IS NULL OR ($1 = 'none' AND a.category_id IS NULL) OR a.category_id::text = $1)
    AND ($2::text IS NULL OR a.language = $2) AND ($3::text IS NULL OR a.status = $3)
    AND (CASE WHEN $4::boolean THEN a.archived_at IS NOT NULL ELSE a.archived_at IS NULL END)`;
  const params = [input.category_id ?? null, input.language ?? null, input.status ?? null, input.archived ?? false];
  const [count] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kb_articles a WHERE ${where}`, params);
  const data = await ctx.db.query<ArticleListItem>(
    `SELECT a.id, a.title, a.language, a.status, a.category_id, a.original_id, a.updated_at, a.archived_at,
       (SELECT count(*)::int FROM kb_articles tr WHERE tr.original_id = a.id AND tr.archived_at IS NULL) AS translations
     FROM kb_articles a WHERE ${where} ORDER BY a.updated_at DESC, a.id LIMIT $5 OFFSET $6`,
    [...params, input.per_page, (input.page - 1) * input.per_page]);
  return { data, total: count?.n ?? 0, page: input.page, per_page: input.per_page };
}
