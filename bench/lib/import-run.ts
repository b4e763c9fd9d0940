// The import side of bench:import and bench:reports: a generated event log (ServiceNow-like) imported into a fresh
// PostgreSQL database by the importer as shipped (batched) or one transaction per ticket.
import { policyMetricSchema } from '../../src/core/policies/policy-model.ts';
import { importHistory } from '../../src/app/import/import-history.ts';
import type { AppContext } from '../../src/app/context.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { dropDatabase, recreateDatabase } from './pg-database.ts';

const MAPPING = {
  source: 'bench', case_id: 'number', timestamp: { column: 'updated', zone: 'Europe/Berlin' }, order_by: ['seq'],
  fields: {
    status: { column: 'state', values: { New: 'new', Active: 'open', Waiting: 'pending', Resolved: 'solved', Closed: 'closed' } },
    group: { column: 'grp' }, assignee: { column: 'who' }, requester: { column: 'caller' }, priority: { column: 'prio' }, channel: { column: 'via' },
  },
  missing: ['?', ''],
};

/** `cases` cases of 4–6 rows each, as an event-log CSV under MAPPING. */
export function generateEventLog(cases: number): string {
  const lines = ['number,seq,updated,state,grp,who,caller,prio,via'];
  let t = Date.UTC(2024, 0, 1, 8, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (ms: number) => { const d = new Date(ms); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };
  for (let c = 0; c < cases; c++) {
    t += 7 * 60_000;
    const id = `INC${c}`;
    const grp = `Group ${c % 60}`;
    const who = `Agent ${c % 200}`;
    const caller = `Caller ${c % 2000}`;
    const prio = ['low', 'normal', 'high', 'urgent'][c % 4];
    let at = t;
    const row = (seq: number, state: string, g: string, w: string) => { lines.push(`${id},${seq},${local(at)},${state},${g},${w},${caller},${prio},email`); at += 37 * 60_000; };
    row(0, 'New', '?', '?');
    row(1, 'Active', grp, who);
    if (c % 3 === 0) row(2, 'Waiting', grp, who);
    if (c % 5 === 0) row(3, 'Active', `Group ${(c + 1) % 60}`, `Agent ${(c + 7) % 200}`);
    row(4, 'Resolved', grp, who);
    if (c % 2 === 0) row(5, 'Closed', grp, who);
  }
  return `${lines.join('\n')}\n`;
}

export type ImportRun = { mode: 'batched' | 'per-ticket'; rows: number; tickets: number; events: number; seconds: number; rows_per_s: number };

/** Imports `text` (`cases` cases) into a fresh database `name` on the server of `adminUrl`, dropped afterwards. */
export async function runImport(adminUrl: string, name: string, mode: 'batched' | 'per-ticket', text: string, cases: number): Promise<ImportRun> {
  const url = await recreateDatabase(adminUrl, name);
  const db = await openDb({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(db);
    const now = new Date();
    const [cal] = await db.query<{ id: string }>(`INSERT INTO calendars (name, spec, created_at, updated_at) VALUES ('Office', $1, now(), now()) RETURNING id`,
      [JSON.stringify({ timezone: 'Europe/Berlin', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])) })]);
    await db.query(`INSERT INTO sla_policies (name, position, calendar_id, metrics, created_at, updated_at) VALUES ('Standard', 1, $1, $2, now(), now())`,
      // Through the policy schema, so the stored metrics carry its defaults as the admin API's would.
      [cal?.id, JSON.stringify([{ name: 'first_response', target_minutes: 240 }, { name: 'resolution', target_minutes: 960 }].map((m) => policyMetricSchema.parse(m)))]);
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const ctx: AppContext = { db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://bench' }, log: silent };
    const started = performance.now();
    const report = await importHistory(ctx, null, { kind: 'events', fileName: 'bench.csv', text, mapping: MAPPING, dryRun: false, batchSize: mode === 'batched' ? 500 : 1 });
    const seconds = (performance.now() - started) / 1000;
    if (report.tickets_written !== cases) throw new Error(`${mode}: wrote ${report.tickets_written} of ${cases}: ${report.errors[0]?.text ?? ''}`);
    const [{ events } = { events: 0 }] = await db.query<{ events: number }>('SELECT count(*)::int AS events FROM ticket_events');
    return { mode, rows: report.rows_read, tickets: report.tickets_written, events, seconds, rows_per_s: Math.round(report.rows_read / seconds) };
  } finally {
    await db.close();
    await dropDatabase(adminUrl, name);
  }
}
