import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS } from '../people/require-role.ts';
import { requireStaff as requireRole } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { patchSchema } from '../shared/patch-schema.ts';
import { loadVisibleTicket } from '../tickets/load-visible-ticket.ts';
import { articleVectorParams, searchArticles, VECTOR_SQL, type ArticleHit } from './kb-search.ts';
import { requireStaff } from './staff.ts';

export const ARTICLE_STATUSES = ['draft', 'published', 'internal'] as const;
/** The help centre's languages (the UI's four). */
export const KB_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type KbLanguage = (typeof KB_LANGUAGES)[number];

/** A translated name per help-centre language; an empty one removes that translation (the default name shows). */
const categoryNames = z.partialRecord(z.enum(KB_LANGUAGES), z.string().trim().max(100))
  .transform((names) => Object.fromEntries(Object.entries(names).filter(([, v]) => v !== undefined && v !== '')) as Partial<Record<KbLanguage, string>>);
export const categoryInput = z.object({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(10_000).default(0),
  names: categoryNames.default({}),
}).strict();
export const categoryListInput = z.object({ language: z.enum(KB_LANGUAGES).optional() }).strict();
export const categoryPatchInput = patchSchema(categoryInput);
export const articleInput = z.object({
  title: z.string().trim().min(1).max(250),
  body: z.string().trim().min(1).max(200_000),
  language: z.string().trim().min(2).max(10),
  status: z.enum(ARTICLE_STATUSES).default('draft'),
  category_id: z.string().uuid().nullable().default(null),
  /** This article translates that one. */
  original_id: z.string().uuid().nullable().default(null),
}).strict();
export const articlePatchInput = patchSchema(articleInput);
export const searchInput = z.object({
  q: z.string().trim().min(1, 'is required').max(500),
  language: z.string().trim().max(10).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
}).strict();
export const suggestInput = z.object({ q: z.string().trim().max(500).default(''), language: z.string().trim().max(10).optional() }).strict();
export const publicListInput = z.object({ category_id: z.string().uuid().optional(), language: z.string().trim().max(10).optional() }).strict();
export const fromMessageInput = z.object({
  message_id: z.string().uuid(),
  title: z.string().trim().min(1).max(250),
  language: z.string().trim().min(2).max(10).optional(),
  category_id: z.string().uuid().nullable().default(null),
}).strict();

export type Category = { id: string; name: string; position: number; names: Partial<Record<KbLanguage, string>> };
export type Article = {
  id: string; title: string; body: string; language: string; status: string; category_id: string | null; original_id: string | null;
  author_id: string | null; created_at: Date; updated_at: Date; url: string | null;
  /** Set while the article is archived: out of the help centre, search and suggestions, restorable. */
  archived_at: Date | null;
  translations: { id: string; language: string; title: string; archived_at: Date | null }[];
};
export type Suggestion = Pick<ArticleHit, 'id' | 'title' | 'language' | 'snippet'> & { url: string };

const ARTICLE_COLUMNS = 'id, title, body, language, status, category_id, original_id, author_id, created_at, updated_at, archived_at';

/** `language`: each category's `display_name` is its name in that language, or the default name. */
export async function listCategories(ctx: AppContext, raw: unknown = {}): Promise<(Category & { display_name: string })[]> {
  const { language } = parseInput(categoryListInput, raw);
  return ctx.db.query<Category & { display_name: string }>(
    `SELECT id, name, position, names, COALESCE(NULLIF(names->>$1::text, ''), name) AS display_name FROM kb_categories ORDER BY position, name`, [language ?? null]);
}

export async function createCategory(ctx: AppContext, actor: Principal, raw: unknown): Promise<Category> {
  requireRole(actor, MANAGERS);
  const input = parseInput(categoryInput, raw);
  const [row] = await ctx.db.query<Category>('INSERT INTO kb_categories (name, position, created_at, names) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id, name, position, names',
    [input.name, input.position, ctx.now(), JSON.stringify(input.names)]);
  if (!row) throw conflict('a category with this name exists', 'name');
  return row;
}

export async function updateCategory(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<Category> {
  requireRole(actor, MANAGERS);
  const input = parseInput(categoryPatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    if (input.name !== undefined && (await tx.query('SELECT 1 FROM kb_categories WHERE name = $1 AND id <> $2', [input.name, id])).length) {
      throw conflict('a category with this name exists', 'name');
    }
    // `names` replaces the whole set of translations when given.
    const [row] = await tx.query<Category>('UPDATE kb_categories SET name = COALESCE($2, name), position = COALESCE($3, position), names = COALESCE($4::jsonb, names) WHERE id = $1 RETURNING id, name, position, names',
      [id, input.name ?? null, input.position ?? null, input.names === undefined ? null : JSON.stringify(input.names)]);
    if (!row) throw notFound('category');
    return row;
  });
}

/** Deletes an empty category. One that still holds articles (archived ones too: they keep their category for a restore) is refused. */
export async function deleteCategory(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  requireRole(actor, MANAGERS);
  await ctx.db.transaction(async (tx) => {
    const [cat] = await tx.query<{ id: string }>('SELECT id FROM kb_categories WHERE id = $1 FOR UPDATE', [id]);
    if (!cat) throw notFound('category');
    const [count] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_articles WHERE category_id = $1', [id]);
    const n = count?.n ?? 0;
    if (n > 0) throw conflict(`the category still holds ${n} article${n === 1 ? '' : 's'} (archived ones included): move them to another category first`);
    await tx.query('DELETE FROM kb_categories WHERE id = $1', [id]);
  });
}

export async function createArticle(ctx: AppContext, actor: Principal, raw: unknown): Promise<Article> {
  const me = requireStaff(actor);
  const input = parseInput(articleInput, raw);
  return ctx.db.transaction(async (tx) => {
    await assertRefs(tx, input.category_id, input.original_id, input.language, null);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO kb_articles (title, body, language, status, category_id, original_id, author_id, search, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${VECTOR_SQL(8)}, $11, $11) RETURNING id`,
      [input.title, input.body, input.language, input.status, input.category_id, input.original_id, me.id, ...articleVectorParams(input.language, input.title, input.body), ctx.now()]);
    return findArticle(tx, ctx, row?.id ?? '', false);
  });
}

export async function updateArticle(ctx: AppContext, actor: Principal, id: string, raw: unknown): Promise<Article> {
  requireStaff(actor);
  const input = parseInput(articlePatchInput, raw);
  return ctx.db.transaction(async (tx) => {
    const current = await findArticle(tx, ctx, id, false);
    if (current.archived_at) throw conflict('the article is archived: restore it before changing it');
    const next = {
      title: input.title ?? current.title, body: input.body ?? current.body, language: input.language ?? current.language, status: input.status ?? current.status,
      category_id: input.category_id === undefined ? current.category_id : input.category_id,
      original_id: input.original_id === undefined ? current.original_id : input.original_id,
    };
    await assertRefs(tx, next.category_id, next.original_id, next.language, id);
    await tx.query(
      `UPDATE kb_articles SET title = $2, body = $3, language = $4, status = $5, category_id = $6, original_id = $7, search = ${VECTOR_SQL(8)}, updated_at = $11 WHERE id = $1`,
      [id, next.title, next.body, next.language, next.status, next.category_id, next.original_id, ...articleVectorParams(next.language, next.title, next.body), ctx.now()]);
    return findArticle(tx, ctx, id, false);
  });
}

export async function getArticle(ctx: AppContext, actor: Principal, id: string): Promise<Article> {
  requireStaff(actor);
  return findArticle(ctx.db, ctx, id, false);
}

/** Staff search: drafts and internal articles included; every term must match. */
export async function searchKnowledgeBase(ctx: AppContext, actor: Principal, raw: unknown): Promise<(ArticleHit & { url: string | null })[]> {
  requireStaff(actor);
  const input = parseInput(searchInput, raw);
  const hits = await searchArticles(ctx.db, input.q, { statuses: ARTICLE_STATUSES, limit: input.limit, mode: 'all', prefer: input.language });
  return hits.map((h) => ({ ...h, url: h.status === 'published' ? articleUrl(ctx, h.id) : null }));
}

/** Up to three published articles for what a customer is typing on the web form (public, rate-limited). */
export async function suggestArticles(ctx: AppContext, raw: unknown): Promise<Suggestion[]> {
  const input = parseInput(suggestInput, raw);
  if (input.q.length < 3) return [];
  const hits = await searchArticles(ctx.db, input.q, { statuses: ['published'], limit: 3, mode: 'any', prefer: input.language });
  return hits.map((h) => ({ id: h.id, title: h.title, language: h.language, snippet: h.snippet, url: articleUrl(ctx, h.id) }));
}

/** Up to three published articles for a customer's request (the acknowledgement's suggestions), best first. */
export async function suggestPublishedArticles(ctx: AppContext, text: string, language: string): Promise<Suggestion[]> {
  const hits = await searchArticles(ctx.db, text.slice(0, 500), { statuses: ['published'], limit: 3, mode: 'any', prefer: language });
  return hits.map((h) => ({ id: h.id, title: h.title, language: h.language, snippet: h.snippet, url: articleUrl(ctx, h.id) }));
}

/** Up to three articles (internal ones too) for the agent's reply box, from the ticket's subject and first message. */
export async function suggestArticlesForTicket(ctx: AppContext, actor: Principal, ref: string): Promise<(Suggestion & { status: string })[]> {
  const me = requireStaff(actor);
  const visible = await loadVisibleTicket(ctx.db, me, ref);
  const [row] = await ctx.db.query<{ text: string; language: string | null }>(
    `SELECT t.subject || ' ' || COALESCE((SELECT body_text FROM messages WHERE ticket_id = t.id ORDER BY created_at LIMIT 1), '') AS text, t.language
     FROM tickets t WHERE t.id = $1`, [visible.id]);
  if (!row) throw notFound('ticket');
  const hits = await searchArticles(ctx.db, row.text.slice(0, 500), { statuses: ['published', 'internal'], limit: 3, mode: 'any', prefer: row.language ?? undefined });
  return hits.map((h) => ({ id: h.id, title: h.title, language: h.language, snippet: h.snippet, status: h.status, url: articleUrl(ctx, h.id) }));
}

export async function listPublicArticles(ctx: AppContext, raw: unknown): Promise<Omit<Article, 'body' | 'translations'>[]> {
  const input = parseInput(publicListInput, raw ?? {});
  const rows = await ctx.db.query<Omit<Article, 'body' | 'translations' | 'url'>>(
    `SELECT id, title, language, status, category_id, original_id, author_id, created_at, updated_at FROM kb_articles
     WHERE status = 'published' AND archived_at IS NULL AND ($1::uuid IS NULL OR category_id = $1) AND ($2::text IS NULL OR language = $2) ORDER BY title, id LIMIT 500`,
    [input.category_id ?? null, input.language ?? null]);
  return rows.map((r) => ({ ...r, url: articleUrl(ctx, r.id) }));
}

export async function getPublicArticle(ctx: AppContext, id: string): Promise<Article> {
  return findArticle(ctx.db, ctx, id, true);
}

/** Turns a ticket message (typically the agent's good answer) into a draft article, to be edited before publishing. */
export async function articleFromMessage(ctx: AppContext, actor: Principal, ref: string, raw: unknown): Promise<Article> {
  const me = requireStaff(actor);
  const input = parseInput(fromMessageInput, raw);
  const visible = await loadVisibleTicket(ctx.db, me, ref);
  const [message] = await ctx.db.query<{ body_text: string }>('SELECT body_text FROM messages WHERE id = $1 AND ticket_id = $2', [input.message_id, visible.id]);
  if (!message) throw invalidInput('message_id', 'no such message on this ticket');
  const [t] = await ctx.db.query<{ language: string | null }>('SELECT language FROM tickets WHERE id = $1', [visible.id]);
  return createArticle(ctx, me, { title: input.title, body: message.body_text, language: input.language ?? t?.language ?? 'en', status: 'draft', category_id: input.category_id });
}

function articleUrl(ctx: AppContext, id: string): string {
  return `${ctx.settings.publicUrl.replace(/\/$/, '')}/help/articles/${id}`;
}

export async function findArticle(q: Queryable, ctx: AppContext, id: string, publicOnly: boolean): Promise<Article> {
  const [row] = await q.query<Omit<Article, 'translations' | 'url'>>(
    `SELECT ${ARTICLE_COLUMNS} FROM kb_articles WHERE id = $1 ${publicOnly ? "AND status = 'published' AND archived_at IS NULL" : ''}`, [id]);
  if (!row) throw notFound('article');
  // The family of an article: its original and every translation of that original.
  const root = row.original_id ?? row.id;
  const translations = await q.query<{ id: string; language: string; title: string; archived_at: Date | null }>(
    `SELECT id, language, title, archived_at FROM kb_articles WHERE (id = $1 OR original_id = $1) AND id <> $2
     ${publicOnly ? "AND status = 'published' AND archived_at IS NULL" : ''} ORDER BY language`, [root, row.id]);
  return { ...row, translations, url: row.status === 'published' && !row.archived_at ? articleUrl(ctx, row.id) : null };
}

async function assertRefs(q: Queryable, categoryId: string | null, originalId: string | null, language: string, selfId: string | null): Promise<void> {
  if (categoryId && (await q.query('SELECT 1 FROM kb_categories WHERE id = $1', [categoryId])).length === 0) throw invalidInput('category_id', 'no such category');
  if (!originalId) return;
  if (originalId === selfId) throw invalidInput('original_id', 'an article cannot translate itself');
  const [orig] = await q.query<{ language: string; original_id: string | null; archived_at: Date | null }>('SELECT language, original_id, archived_at FROM kb_articles WHERE id = $1', [originalId]);
  if (!orig) throw invalidInput('original_id', 'no such article');
  if (orig.archived_at) throw invalidInput('original_id', 'is archived');
  if (orig.original_id) throw invalidInput('original_id', 'must be an original, not a translation');
  if (orig.language === language) throw invalidInput('language', 'a translation must be in another language than its original');
  const clash = await q.query('SELECT 1 FROM kb_articles WHERE original_id = $1 AND language = $2 AND id <> COALESCE($3::uuid, gen_random_uuid())', [originalId, language, selfId]);
  if (clash.length) throw conflict('this article already has a translation in that language (an archived one can be restored)', 'language');
}
