// Routing benchmark: automatic assignment draining a large queue on PostgreSQL.
//
//   1. a fresh database (BENCH_PG_DATABASE, default routing_bench), migrated; bulk-seeded with
//      generate_series: 1,000 agents in 10 skills-based groups (each agent speaks English and one of
//      ru/zh/bg, capacity 50 = 50,000 slots), 1,000 requesters in four languages, 100,000 open
//      unassigned tickets with spread SLA due times;
//   2. per strategy, from the same starting state: all agents "come online" at once, BENCH_WORKERS
//      (default 8) connections each taking the next agent and running the real
//      app/routing/assign.ts fillAgentCapacity in one transaction (lock the agent, hand them the most
//      urgent tickets they may take until full). Strategies:
//        row-locks   the shipped code: the agent's row lock + FOR UPDATE SKIP LOCKED on queue rows;
//        global-lock the simple alternative: the same code behind one transaction-level advisory lock,
//                    i.e. assignments serialised across all processes;
//   3. after each strategy, SQL counts tickets assigned twice in that run (routing events per ticket)
//      and agents holding more open tickets than their capacity; then the state is reset.
// Last line: routing-bench: tickets=N agents=A assign_per_s=R p99_ms=L double_assigned=0 over_capacity=0
// (for the shipped strategy; p99 is per fill transaction).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fillAgentCapacity } from '../src/app/routing/assign.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { databaseUrlFor, dropDatabase, recreateDatabase } from './lib/pg-database.ts';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
const DATABASE = process.env.BENCH_PG_DATABASE ?? 'routing_bench';
const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const GROUPS = 10;
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 50);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 8);

async function seed(db: Db): Promise<void> {
  const t0 = Date.now();
  await db.exec(`
    INSERT INTO groups (name, assignment_mode, skills, created_at)
      SELECT 'Group ' || g, 'skills', ARRAY['lang:en', 'lang:ru', 'lang:zh', 'lang:bg'], now() FROM generate_series(1, ${GROUPS}) g;
    INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
      SELECT 'agent' || i || '@bench.test', 'Agent ' || i, 'agent', 'x', now(), now() FROM generate_series(1, ${AGENTS}) i;
    INSERT INTO group_members (group_id, user_id)
      SELECT g.id, u.id FROM users u JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM groups) g
        ON g.n = (substring(u.email from 'agent(\\d+)@')::int % ${GROUPS});
    INSERT INTO agent_routing (user_id, skills, capacity, availability, updated_at)
      SELECT id, ARRAY['lang:en', (ARRAY['lang:ru', 'lang:zh', 'lang:bg'])[1 + substring(email from 'agent(\\d+)@')::int % 3]], ${CAPACITY}, 'offline', now() FROM users;
    INSERT INTO contacts (email, name, language, created_at, updated_at)
      SELECT 'c' || i || '@bench.test', 'C ' || i, (ARRAY['en', 'ru', 'zh', 'bg'])[1 + i % 4], now(), now() FROM generate_series(1, 1000) i;
    INSERT INTO tickets (subject, type, priority, status, stage, channel, requester_id, group_id, created_at, updated_at, sla_next_due_at)
      SELECT 'Ticket ' || i, 'technical_question', 'normal', 'new', 'received', 'email',
        (SELECT id FROM contacts WHERE email = 'c' || (1 + i % 1000) || '@bench.test'),
        (SELECT id FROM groups WHERE name = 'Group ' || (1 + i % ${GROUPS})),
        now() - interval '1 day', now(), now() + ((i * 7919) % 100000) * interval '1 minute'
      FROM generate_series(1, ${TICKETS}) i;
    ANALYZE;`);
  process.stdout.write(`seeded ${AGENTS} agents, ${TICKETS} tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function reset(db: Db): Promise<void> {
  await db.exec(`UPDATE tickets SET assignee_id = NULL, stage = 'received' WHERE assignee_id IS NOT NULL;
    UPDATE agent_routing SET availability = 'offline', last_assigned_at = NULL;`);
  await db.exec('VACUUM ANALYZE tickets');
}

type Result = { strategy: string; assigned: number; seconds: number; perSecond: number; p99: number; doubled: number; over: number };

async function run(db: Db, strategy: 'row-locks' | 'global-lock', now: Date): Promise<Result> {
  const agents = (await db.query<{ user_id: string }>('SELECT user_id FROM agent_routing ORDER BY user_id')).map((r) => r.user_id);
  const latencies: number[] = [];
  let next = 0;
  let assigned = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    for (;;) {
      const agentId = agents[next++];
      if (!agentId) return;
      const s = performance.now();
      const got = await db.transaction(async (tx) => {
        if (strategy === 'global-lock') await tx.query('SELECT pg_advisory_xact_lock(424242)');
        await tx.query("UPDATE agent_routing SET availability = 'online' WHERE user_id = $1", [agentId]);
        return fillAgentCapacity(tx, agentId, now, { wait: true });
      });
      assigned += got.length;
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
  // Measured, not assumed: routing events of this run per ticket, and open load per agent.
  const [doubled] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT ticket_id FROM ticket_events WHERE kind = 'assignee_changed' AND created_at = $1
       GROUP BY ticket_id HAVING count(*) > 1) d`, [now]);
  const [over] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT t.assignee_id FROM tickets t JOIN agent_routing ar ON ar.user_id = t.assignee_id
       WHERE t.status IN ('new', 'open', 'pending', 'on_hold') GROUP BY t.assignee_id, ar.capacity HAVING count(*) > ar.capacity) o`);
  const [held] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE assignee_id IS NOT NULL');
  if (held?.n !== assigned) throw new Error(`${strategy}: the calls reported ${assigned} assignments but ${held?.n} tickets are assigned`);
  return { strategy, assigned, seconds, perSecond: assigned / seconds, p99, doubled: doubled?.n ?? -1, over: over?.n ?? -1 };
}

async function main(): Promise<void> {
  const url = databaseUrlFor(ADMIN_URL, DATABASE);
  await recreateDatabase(ADMIN_URL, DATABASE);
  const db = await openDb({ databaseUrl: url, poolSize: WORKERS });
  try {
    await migrate(db);
    await seed(db);
    process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; workers=${WORKERS} capacity=${CAPACITY}\n`);
    const results: Result[] = [];
    // Each strategy stamps its events with its own instant, so the double-assignment count is per run.
    const base = Date.UTC(2026, 0, 1) + (randomBytes(2).readUInt16BE() * 1000);
    for (const [i, strategy] of (['global-lock', 'row-locks'] as const).entries()) {
      await reset(db);
      const r = await run(db, strategy, new Date(base + i * 60_000));
      results.push(r);
      process.stdout.write(`${r.strategy.padEnd(12)} assigned=${r.assigned} in ${r.seconds.toFixed(1)} s  assign_per_s=${r.perSecond.toFixed(0)} p99_ms=${r.p99.toFixed(1)} double_assigned=${r.doubled} over_capacity=${r.over}\n`);
    }
    const ours = results.find((r) => r.strategy === 'row-locks');
    if (!ours) throw new Error('no result');
    process.stdout.write(`routing-bench: tickets=${TICKETS} agents=${AGENTS} assign_per_s=${ours.perSecond.toFixed(0)} p99_ms=${ours.p99.toFixed(1)} double_assigned=${ours.doubled} over_capacity=${ours.over}\n`);
  } finally {
    await db.close();
    await dropDatabase(ADMIN_URL, DATABASE);
  }
}

await main();
