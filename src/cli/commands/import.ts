// `replyby import events|tickets FILE --mapping MAPPING.json [--dry-run] [--batch N] [--json]`
// (specs/import-events.md). Progress on standard error while it runs; the report on standard output.
// Exit codes: 0 every ticket written (or already there), 1 some rejected (all others written), 2 the
// mapping (or the command line, or the file) is wrong.

import type { AppContext } from '../../app/context.ts';
import { importHistory, type ImportProgress, type ImportReport } from '../../app/import/import-history.ts';

export const IMPORT_USAGE = 'usage: replyby import events|tickets FILE --mapping MAPPING.json [--dry-run] [--batch N] [--json]';

export type ImportIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean }; readFile: (path: string) => Promise<string> };
type Args = { kind: 'events' | 'tickets'; file: string; mapping: string; dryRun: boolean; batch: number | undefined; json: boolean };

export function parseImportArgs(args: readonly string[]): Args | { error: string } {
  const [kind, ...rest] = args;
  if (kind !== 'events' && kind !== 'tickets') return { error: `the first argument is "events" or "tickets"${kind ? `, not "${kind}"` : ''}` };
  let file: string | undefined;
  let mapping: string | undefined;
  let dryRun = false;
  let json = false;
  let batch: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const value = (name: string): string | undefined => {
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
      i++;
      return rest[i];
    };
    if (a === '--dry-run') dryRun = true;
    else if (a === '--json') json = true;
    else if (a === '--mapping' || a.startsWith('--mapping=')) mapping = value('--mapping');
    else if (a === '--batch' || a.startsWith('--batch=')) {
      const v = value('--batch');
      if (!v || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10_000) return { error: `--batch: ${JSON.stringify(v ?? '')} is not a whole number from 1 to 10000` };
      batch = Number(v);
    } else if (a.startsWith('--')) return { error: `unknown option ${a}` };
    else if (file === undefined) file = a;
    else return { error: `one file at a time (got "${file}" and "${a}")` };
  }
  if (!file) return { error: 'FILE is required' };
  if (!mapping) return { error: '--mapping MAPPING.json is required' };
  return { kind, file, mapping, dryRun, batch, json };
}

const seconds = (ms: number | null): string => (ms === null ? '?' : ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);
export function progressLine(p: ImportProgress): string {
  return `rows ${p.rows_read}/${p.rows_total}  tickets written ${p.tickets_written}/${p.tickets_total}  already there ${p.tickets_existing}  rejected ${p.tickets_rejected}`
    + `  ${p.rows_per_second ?? '?'} rows/s  elapsed ${seconds(p.elapsed_ms)}  left ${seconds(p.eta_ms)}`;
}

export function summary(r: ImportReport): string {
  const lines = [
    `${r.dry_run ? 'dry run (nothing written): ' : ''}${r.kind} from ${r.file_name}${r.source ? ` (source "${r.source}")` : ''}`,
    `rows read ${r.rows_read}, rejected ${r.rows_rejected}`,
    `tickets: ${r.tickets_total} in the file, ${r.tickets_written} ${r.dry_run ? 'would be written' : 'written'}, ${r.tickets_existing} already imported, ${r.tickets_rejected} rejected`,
    `created: ${r.created.groups} groups, ${r.created.agents} agents (inactive), ${r.created.requesters} requesters, ${r.created.types} types${r.dry_run ? ' (would be)' : ''}`,
    `SLA policies: ${Object.entries(r.policies).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `${r.rows_per_second ?? '?'} rows/s, ${seconds(r.elapsed_ms)}; exit ${r.exit_code}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function importCommand(args: readonly string[], io: ImportIo, openContext: () => Promise<{ ctx: AppContext; close: () => Promise<void> }>): Promise<number> {
  const parsed = parseImportArgs(args);
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  let text: string;
  let mapping: string;
  try {
    text = await io.readFile(parsed.file);
  } catch (e) {
    io.stderr.write(`cannot read ${parsed.file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  try {
    mapping = await io.readFile(parsed.mapping);
  } catch (e) {
    io.stderr.write(`cannot read ${parsed.mapping}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let mappingJson: unknown;
  try {
    mappingJson = JSON.parse(mapping.replace(/^\uFEFF/, ''));
  } catch (e) {
    io.stderr.write(`mapping: ${parsed.mapping} is not valid JSON (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  const { ctx, close } = await openContext();
  try {
    const tty = io.stderr.isTTY === true;
    let lastPrinted = 0;
    const report = await importHistory(ctx, null, { kind: parsed.kind, fileName: parsed.file, text, mapping: mappingJson, dryRun: parsed.dryRun, batchSize: parsed.batch }, {
      record: true,
      onProgress: (p) => {
        const done = p.tickets_written + p.tickets_existing + p.tickets_rejected >= p.tickets_total;
        // A terminal gets one line redrawn; a log gets a line at most every second (and the last one).
        if (tty) io.stderr.write(`\r${progressLine(p)}\u001b[K`);
        else if (done || p.elapsed_ms - lastPrinted >= 1000) {
          io.stderr.write(`${progressLine(p)}\n`);
          lastPrinted = p.elapsed_ms;
        }
      },
    });
    if (tty) io.stderr.write('\n');
    const shown = report.errors.slice(0, 200);
    for (const e of shown) io.stderr.write(`${e.text}\n`);
    if (report.errors.length > shown.length) io.stderr.write(`… and ${report.errors.length - shown.length} more errors\n`);
    io.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
    return report.exit_code;
  } finally {
    await close();
  }
}
