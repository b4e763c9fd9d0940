// CPU per ticket of the intake use case alone (no HTTP, no load generator): C concurrent clients each
// creating PER tickets in a loop, three measured rounds after a warm-up; the Node process's CPU
// (process.cpuUsage) and its PostgreSQL backends' (/proc/<pid>/stat, 10 ms ticks: coarse at C=1). On a
// host shared with other work this is steadier than bench:intake's throughput (issue 17).
//   TEST_DATABASE_URL=postgres://127.0.0.1:5432/test node --import tsx bench/intake-cpu-bench.ts [tree] [C] [PER]
// `tree`: a worktree to measure (default: this one), so two commits compare in one command line each.
import { readFileSync } from 'node:fs';
import path from 'node:path';
const tree = path.resolve(process.argv[2] ?? '.');
const C = Number(process.argv[3] ?? 32);
const PER = Number(process.argv[4] ?? 16);
const started = new Date(Date.now() - 1000);
const { startTestApp } = await import(`${tree}/test/helpers/test-app.ts`);
const { authenticate } = await import(`${tree}/src/app/auth/authenticate.ts`);
const { createTicket } = await import(`${tree}/src/app/tickets/create-ticket.ts`);
const t = await startTestApp();
const sup = await authenticate(t.ctx, await t.signIn('super@test.dev'));
const one = (i: number) => createTicket(t.ctx, sup, { subject: `s${i}`, message: 'Since this morning the invoices export stops at 50% and the browser shows a spinner forever.', requester: { email: `c${i % 300}@example.org` } });
const run = async () => { let n = 0; await Promise.all(Array.from({ length: C }, async () => { for (let k = 0; k < PER; k++) await one(n++); })); };
await run(); // warm-up: contacts, plans, caches
const pids = (await t.ctx.db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_start >= $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`, [started])).map((r: { pid: number }) => r.pid);
const ticks = () => pids.reduce((s: number, p: number) => { try { const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' '); return s + Number(f[11]) + Number(f[12]); } catch { return s; } }, 0);
const res: string[] = [];
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage(); const p0 = ticks(); const w0 = performance.now();
  await run();
  const c1 = process.cpuUsage(c0); const p1 = ticks(); const w = performance.now() - w0;
  const n = C * PER;
  res.push(`node ${((c1.user + c1.system) / 1000 / n).toFixed(2)} ms + pg ${(((p1 - p0) * 10) / n).toFixed(2)} ms per ticket; ${(n / (w / 1000)).toFixed(0)}/s`);
}
console.log(`${tree} C=${C} backends=${pids.length}: ${res.join(' | ')}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
await t.close();
process.exit(0);
