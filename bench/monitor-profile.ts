// node --import tsx bench/monitor-profile.ts — one in-process claimer takes N tickets × (warning, breach, escalation), all due at once;
// prints ms and database round trips per action (the per-action cost of the monitor, apart from waiting). N=300 by default.
import { openDb, type Db, type Queryable } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { runDueSlaActions } from '../src/app/monitor/run-due-sla-actions.ts';
import { seedDueClocks } from '../test/helpers/seed-due-clocks.ts';
import { recreateDatabase, dropDatabase } from '../bench/lib/pg-database.ts';
import type { AppContext } from '../src/app/context.ts';

const N = Number(process.env.N ?? 300);
const ADMIN = 'postgres://127.0.0.1:5432/test';
const url = await recreateDatabase(ADMIN, 'monitor_profile');
const db = await openDb({ databaseUrl: url, poolSize: 4 });
await migrate(db);
const [group] = await db.query<{ id: string }>("INSERT INTO groups (name, is_default, created_at) VALUES ('Support', true, now()) RETURNING id");
const [agent] = await db.query<{ id: string }>("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('agent@b.dev', 'Agent', 'agent', 'x', now(), now()) RETURNING id");
await db.query("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('admin@b.dev', 'Admin', 'admin', 'x', now(), now())");
await db.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", [group!.id, agent!.id]);
await db.query("INSERT INTO webhooks (url, secret, created_at) VALUES ('http://127.0.0.1:9/', 's', now())");
const [policy] = await db.query<{ id: string }>(
  `INSERT INTO sla_policies (name, position, metrics, escalations, created_at, updated_at) VALUES ('P', 1, $1, $2, now(), now()) RETURNING id`,
  [JSON.stringify([{ name: 'first_response', target_minutes: 60, warn_at_percent: [50], warn_at_minutes_left: [] }]), JSON.stringify([{ after_minutes: 0, action: 'notify_admin' }])]);
await seedDueClocks(db, { count: N, policyId: policy!.id, groupId: group!.id, assigneeId: agent!.id, firstDue: new Date(Date.now() - 3 * 3600_000), spacingMs: 10, targetMs: 3600_000, warningMs: 1800_000, subjectPrefix: 'P ' });
await db.exec('ANALYZE');
let trips = 0;
const count = (q: Queryable): Queryable => ({ cacheScope: q.cacheScope, query: (s, p) => { trips++; return q.query(s, p); }, exec: (s) => { trips++; return q.exec(s); } });
const counted: Db = { ...db, query: (s, p) => { trips++; return db.query(s, p); }, transaction: (fn) => { trips += 2; return db.transaction((tx) => fn(count(tx))); } } as Db;
const ctx: AppContext = { db: counted, now: () => new Date(), settings: { ticketPrefix: '#', publicUrl: 'http://x' }, log: { info: () => {}, warn: () => {}, error: console.error } };
const t0 = performance.now();
const fired = await runDueSlaActions(ctx);
const ms = performance.now() - t0;
const [ev] = await db.query<{ n: string }>("SELECT count(*) n FROM ticket_events WHERE kind IN ('sla_warning','sla_breach','sla_escalation')");
const [ob] = await db.query<{ n: string }>("SELECT count(*) n FROM outbox");
console.log(`profile: tickets=${N} fired=${fired} events=${ev!.n} outbox=${ob!.n} total_ms=${ms.toFixed(0)} ms_per_action=${(ms / fired).toFixed(2)} round_trips_per_action=${(trips / fired).toFixed(2)}`);
await db.close();
await dropDatabase(ADMIN, 'monitor_profile');
