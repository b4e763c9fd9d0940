// `replyby export tickets --format jsonl|csv [--kind tickets|events|messages] [--from ISO] [--to ISO] [--out FILE]`
// (docs/export.md): the API's export, written to a file or standard output page by page with backpressure.
// Exit codes: 0 written, 2 the command line is wrong (nothing written).

import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../app/context.ts';
import { exportTickets } from '../../app/reports/export-tickets.ts';
import { DomainError } from '../../core/errors.ts';

export const EXPORT_USAGE = 'usage: replyby export tickets --format jsonl|csv [--kind tickets|events|messages] [--from ISO] [--to ISO] [--group-id UUID] [--assignee-id UUID] [--type T] [--priority P] [--channel C] [--tier T] [--batch N] [--out FILE]';

// Options are the API's query parameters with dashes: one schema (app/reports/export-tickets.ts) checks both.
const OPTIONS = ['format', 'kind', 'from', 'to', 'group-id', 'assignee-id', 'type', 'priority', 'channel', 'tier', 'batch'] as const;

export function parseExportArgs(args: readonly string[]): { query: Record<string, string>; out: string | null } | { error: string } {
  const [what, ...rest] = args;
  if (what !== 'tickets') return { error: `the first argument is "tickets"${what ? `, not "${what}"` : ''}` };
  const query: Record<string, string> = {};
  let out: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
    if (!m) return { error: `unexpected argument "${a}"` };
    const name = m[1] ?? '';
    const value = m[2] ?? rest[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    if (name === 'out') out = value;
    else if ((OPTIONS as readonly string[]).includes(name)) query[name.replace(/-/g, '_')] = value;
    else return { error: `unknown option --${name}` };
  }
  if (!query.format) return { error: '--format jsonl|csv is required' };
  return { query, out };
}

const isBrokenPipe = (e: unknown): boolean => e instanceof Error && (e as NodeJS.ErrnoException).code === 'EPIPE';

export type ExportIo = { stdout: Writable; stderr: NodeJS.WritableStream; openOut: (path: string) => Writable };
export const fileOut = (path: string): Writable => createWriteStream(path);

export async function exportCommand(args: readonly string[], io: ExportIo, openContext: () => Promise<{ ctx: AppContext; close: () => Promise<void> }>): Promise<number> {
  const parsed = parseExportArgs(args);
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const { ctx, close } = await openContext();
  try {
    let out;
    try {
      out = exportTickets(ctx, null, parsed.query);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      io.stderr.write(`${e.errors.map((f) => `--${f.path.replace(/_/g, '-')}: ${f.message}`).join('\n') || e.message}\n${EXPORT_USAGE}\n`);
      return 2;
    }
    const source = Readable.from(out.chunks, { objectMode: false, highWaterMark: 64 * 1024 });
    // Standard output is shared with the process: piped into, never ended by the export.
    try {
      await pipeline(source, parsed.out ? io.openOut(parsed.out) : io.stdout, { end: parsed.out !== null });
    } catch (e) {
      // A reader that stops early (`| head`) closes the pipe: the export ends quietly, as Unix tools do, and the
      // pipeline has already stopped reading from the database.
      if (parsed.out === null && isBrokenPipe(e)) return 0;
      throw e;
    }
    return 0;
  } finally {
    await close();
  }
}
