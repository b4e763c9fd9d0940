import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import { parseMapping } from '../../core/import/mapping.ts';
import { findImportRow, insertImportRow, updateImportRow, type ImportRow } from '../../store/repos/import-repo.ts';
import type { AppContext } from '../context.ts';
import { requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { importHistory } from './import-history.ts';
import { recordAudit } from '../shared/audit.ts';

// The API's import (POST /api/v1/imports): admins only; the run is recorded in `imports` and continues
// after the response (202), reporting its progress into that row for GET /api/v1/imports/:id.

export const startImportInput = z.strictObject({
  kind: z.enum(['events', 'tickets'], { error: 'must be "events" or "tickets"' }),
  file_name: z.string().trim().min(1).max(255).default('upload.csv'),
  /** The file's text (CSV, or JSON for a ticket file). */
  file: z.string({ error: 'is required (the file to import)' }).min(1, 'is empty').max(200 * 1024 * 1024),
  /** The mapping (docs/import.md): an object, or its JSON text. */
  mapping: z.union([z.record(z.string(), z.unknown()), z.string().min(1)], { error: 'is required (the mapping: a JSON object)' }),
  dry_run: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]).default(false),
  batch: z.coerce.number().int().min(1).max(10_000).optional(),
});
export type StartImportInput = z.input<typeof startImportInput>;

/** Runs still in progress in this process, so tests and shutdown can wait for them. */
const running = new Set<Promise<unknown>>();
export const importsInProgress = (): Promise<unknown[]> => Promise.all([...running]);

export async function startImport(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ id: string }> {
  const admin = requireStaff(actor, ['admin']);
  const input = parseInput(startImportInput, raw);
  // A wrong mapping is refused at once (400 naming its field), before anything runs.
  let mapping: unknown = input.mapping;
  if (typeof mapping === 'string') {
    try { mapping = JSON.parse(mapping); } catch { throw new DomainError('invalid_input', 'is not valid JSON', 'mapping'); }
  }
  const checked = parseMapping(mapping, input.kind);
  if (!checked.ok) {
    const errors = checked.problems.map((p) => ({ path: `mapping.${p.path}`, message: p.message }));
    throw new DomainError('invalid_input', errors[0]?.message ?? 'is wrong', errors[0]?.path ?? 'mapping', errors);
  }
  const id = await ctx.db.transaction(async (tx) => {
    const row = await insertImportRow(tx, { kind: input.kind, file_name: input.file_name, dry_run: input.dry_run, created_by: admin.id, now: ctx.now() });
    await recordAudit(tx, actor, { action: 'start', target: 'import', targetId: row, after: { kind: input.kind, file_name: input.file_name, dry_run: input.dry_run, mapping } }, ctx.now());
    return row;
  });
  const run = importHistory(ctx, admin, { kind: input.kind, fileName: input.file_name, text: input.file, mapping, dryRun: input.dry_run, batchSize: input.batch }, { importId: id })
    .catch(async (err: unknown) => {
      ctx.log.error({ err, import_id: id }, 'import failed');
      await updateImportRow(ctx.db, id, { status: 'failed', exit_code: 1, finished_at: ctx.now(), errors: [{ line: 'file', field: 'file', message: 'the import stopped on an unexpected error; see the server log', case_id: null, text: 'the import stopped on an unexpected error' }], errors_total: 1 }, ctx.now())
        .catch(() => undefined);
    })
    .finally(() => running.delete(run));
  running.add(run);
  return { id };
}

export type ImportView = Omit<ImportRow, 'created_by'> & { created_by: string | null; done: boolean };

export async function getImport(ctx: AppContext, actor: Principal, id: string): Promise<ImportView> {
  requireStaff(actor, ['admin']);
  const row = await findImportRow(ctx.db, id);
  if (!row) throw notFound('import');
  return { ...row, done: row.status !== 'running' };
}
