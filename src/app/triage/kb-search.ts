import { searchConfig, searchDocument, searchQuery } from '../../core/triage/text.ts';
import type { Queryable } from '../../store/db.ts';

// Knowledge-base full-text search on PostgreSQL text search, one configuration per language: Snowball
// stemming for English and Russian ('english', 'russian'), light stems computed in core for Bulgarian
// and character bigrams for Chinese under 'simple' (PostgreSQL ships no Bulgarian stemmer or Chinese
// parser; both run the same on PGlite and on a server, no extension needed).

/** SQL fragment for the tsvector of an article from parameters $n (language), $n+1 (title), $n+2 (body). */
export function articleVectorParams(language: string, title: string, body: string): [string, string, string] {
  return [searchConfig(language), searchDocument(language, title), searchDocument(language, body)];
}
export const VECTOR_SQL = (n: number) =>
  `setweight(to_tsvector($${n}::regconfig, $${n + 1}), 'A') || setweight(to_tsvector($${n}::regconfig, $${n + 2}), 'B')`;

export type ArticleHit = { id: string; title: string; language: string; status: string; category_id: string | null; snippet: string; rank: number };

/**
 * Articles matching `text` in any language, each language's articles matched by the query as that
 * language would index it. `prefer` floats articles in the reader's language to the top.
 *
 * `mode: 'any'` (suggestions from a ticket or a form) matches an article on any one of the text's words, so a long
 * ticket met "Resetting your password" on "arrived" alone (review 2026-12-07 item 20). A suggestion must therefore
 * be relevant: the article's title has one of the words, or its text has at least two of them (all of them when
 * the text has only one).
 */
export async function searchArticles(q: Queryable, text: string, opts: { statuses: readonly string[]; limit: number; mode: 'all' | 'any'; prefer?: string | undefined }): Promise<ArticleHit[]> {
  const en = searchQuery('en', text, opts.mode);
  const ru = searchQuery('ru', text, opts.mode);
  const bg = searchQuery('bg', text, opts.mode);
  const other = searchQuery('zh', text, opts.mode);
  if (!en && !ru && !bg && !other) return [];
  const any = opts.mode === 'any';
  const terms = (query: string | null) => (query ? query.split(' | ') : []);
  // The same words restricted to the title (weight A): "pass:*" → "pass:*A", "reset" → "reset:A".
  const inTitle = (query: string | null) => (query ? terms(query).map((x) => (x.endsWith(':*') ? `${x}A` : `${x}:A`)).join(' | ') : null);
  const relevance = any
    ? `AND (a.search @@ CASE a.language WHEN 'en' THEN qs.en_title WHEN 'ru' THEN qs.ru_title WHEN 'bg' THEN qs.bg_title ELSE qs.other_title END
            OR (SELECT count(*) FROM unnest(CASE a.language WHEN 'en' THEN $8::text[] WHEN 'ru' THEN $9::text[] WHEN 'bg' THEN $10::text[] ELSE $11::text[] END) AS w(x)
                 WHERE a.search @@ to_tsquery((CASE a.language WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian' ELSE 'simple' END)::regconfig, w.x))
               >= least(2, cardinality(CASE a.language WHEN 'en' THEN $8::text[] WHEN 'ru' THEN $9::text[] WHEN 'bg' THEN $10::text[] ELSE $11::text[] END)))`
    : '';
  const titles = any
    ? `, to_tsquery('english', COALESCE($12, '')) AS en_title, to_tsquery('russian', COALESCE($13, '')) AS ru_title,
         to_tsquery('simple', COALESCE($14, '')) AS bg_title, to_tsquery('simple', COALESCE($15, '')) AS other_title`
    : '';
  const params: unknown[] = [en, ru, bg, other, opts.statuses, opts.prefer ?? '', opts.limit];
  if (any) params.push(terms(en), terms(ru), terms(bg), terms(other), inTitle(en), inTitle(ru), inTitle(bg), inTitle(other));
  return q.query<ArticleHit>(
    `WITH qs AS (SELECT to_tsquery('english', COALESCE($1, '')) AS en, to_tsquery('russian', COALESCE($2, '')) AS ru,
                        to_tsquery('simple', COALESCE($3, '')) AS bg, to_tsquery('simple', COALESCE($4, '')) AS other${titles})
     SELECT a.id, a.title, a.language, a.status, a.category_id, left(a.body, 200) AS snippet,
            ts_rank(a.search, CASE a.language WHEN 'en' THEN qs.en WHEN 'ru' THEN qs.ru WHEN 'bg' THEN qs.bg ELSE qs.other END)::float8 AS rank
     FROM kb_articles a, qs
     WHERE a.status = ANY($5::text[]) AND a.archived_at IS NULL
       AND ((a.language = 'en' AND a.search @@ qs.en) OR (a.language = 'ru' AND a.search @@ qs.ru)
         OR (a.language = 'bg' AND a.search @@ qs.bg) OR (a.language NOT IN ('en', 'ru', 'bg') AND a.search @@ qs.other))
       ${relevance}
     ORDER BY (a.language = $6) DESC, rank DESC, a.updated_at DESC, a.id LIMIT $7`,
    params);
}
