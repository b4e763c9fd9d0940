import type { Principal } from '../../core/auth/principal.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { findArticle, type Article } from './manage-kb.ts';

// Articles are archived, not deleted (Zendesk Guide's model): agents' replies and old tickets link to them, and
// a family of translations removed by mistake could not be brought back. An archived article leaves the help
// centre, staff search and suggestions at once; an admin restores it from the archive list.

export type ArchivedArticle = { id: string; title: string; language: string; status: string; original_id: string | null; archived_at: Date };
export type ArchiveResult = Article & { affected_ids: string[] };

type Row = { id: string; original_id: string | null; archived_at: Date | null };

/**
 * Archives an article. Archiving an original archives its translations with it, at the same instant (a
 * translation without its original would be an orphan in the help centre); archiving a translation archives
 * that translation only.
 */
export async function archiveArticle(ctx: AppContext, actor: Principal, id: string): Promise<ArchiveResult> {
  requireStaff(actor, MANAGERS);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<Row>('SELECT id, original_id, archived_at FROM kb_articles WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound('article');
    if (row.archived_at) throw conflict('the article is already archived');
    const affected = await tx.query<{ id: string }>(
      `UPDATE kb_articles SET archived_at = $2 WHERE (id = $1 OR ($3::boolean AND original_id = $1)) AND archived_at IS NULL RETURNING id`,
      [id, ctx.now(), row.original_id === null]);
    return { ...(await findArticle(tx, ctx, id, false)), affected_ids: affected.map((a) => a.id).sort() };
  });
}

/**
 * Restores an archived article. Restoring an original brings back the translations archived with it (same
 * instant); a translation archived on its own before stays archived. A translation whose original is still
 * archived cannot come back alone.
 */
export async function restoreArticle(ctx: AppContext, actor: Principal, id: string): Promise<ArchiveResult> {
  requireStaff(actor, MANAGERS);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<Row>('SELECT id, original_id, archived_at FROM kb_articles WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound('article');
    if (!row.archived_at) throw conflict('the article is not archived');
    if (row.original_id) {
      const [orig] = await tx.query<{ archived_at: Date | null }>('SELECT archived_at FROM kb_articles WHERE id = $1', [row.original_id]);
      if (orig?.archived_at) throw conflict('its original is archived: restore the original first');
    }
    const affected = await tx.query<{ id: string }>(
      `UPDATE kb_articles SET archived_at = NULL, updated_at = $3 WHERE id = $1 OR (original_id = $1 AND archived_at = $2) RETURNING id`,
      [id, row.archived_at, ctx.now()]);
    return { ...(await findArticle(tx, ctx, id, false)), affected_ids: affected.map((a) => a.id).sort() };
  });
}

/** The archive, newest first (staff). */
export async function listArchivedArticles(ctx: AppContext, actor: Principal): Promise<ArchivedArticle[]> {
  requireStaff(actor);
  return ctx.db.query<ArchivedArticle>(
    `SELECT id, title, language, status, original_id, archived_at FROM kb_articles WHERE archived_at IS NOT NULL ORDER BY archived_at DESC, title, id LIMIT 500`);
}
