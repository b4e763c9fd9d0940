// npm run bench:widget — the chat widget under load (issue 20 item 4):
//   widget-bench: sessions=N msg_p99_ms=L lost=X js_gz_kb=K msgs_per_s=R saturation_msgs_per_s=S saturation_p99_ms=P
// Goals: 1,000 concurrent sessions on one process on PostgreSQL, message p99 < 200 ms, 0 lost across a server
// restart, the script ≤ 60 KB gzipped.
//
// The real server (`node bin/replyby.mjs start`, web and worker roles, demo seed) on a fresh PostgreSQL database
// (BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/test). An admin creates a widget channel for
// one page origin (limits raised: every session comes from this one address) and holds the agents' live stream
// (`/api/v1/events`) open, as the agent's browser does. WIDGET_SESSIONS visitors (default 1,000) start a chat
// each and hold their own stream open, as the script does. Three phases (BENCHMARKS.md, "bench:widget — a
// person's pace and saturation"):
// 1. People chatting (WIDGET_CHAT_S, default 60 s): each visitor writes its next message after a random pause,
//    exponential with mean WIDGET_MEAN_GAP_S (default 20 s: faster than a person in a 12-minute chat writes),
//    whatever happened to the last one — an open load of SESSIONS / MEAN_GAP messages a second. A message's time
//    is from its POST until the agent's stream says the ticket got it: `msg_p99_ms`, and `msgs_per_s` offered.
// 2. Saturation (WIDGET_SATURATION_S, default 20 s): every visitor sends its next message as soon as the last
//    POST was answered, so the server runs flat out: `saturation_msgs_per_s` is the most it completes and
//    `saturation_p99_ms` the latency there — queueing, not what a person sees.
// 3. Restart: the server is killed (SIGKILL) and started again on the same port while visitors keep sending
//    (retrying with the same client id until a 2xx, as the script does) and reconnect with their cursor;
//    `lost` = messages a visitor sent (answered 2xx) that never arrived on its own stream, plus messages that
//    arrived twice (over all phases).
import { frameData, sseFrames } from '../test/helpers/sse-frames.ts';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { databaseUrlFor, dropDatabase, recreateDatabase } from './lib/pg-database.ts';
import { REPO_ROOT, freePort, signIn, startServer, type ServerHandle } from './lib/server-process.ts';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SESSIONS = Number(process.env.WIDGET_SESSIONS ?? 1000);
const CHAT_S = Number(process.env.WIDGET_CHAT_S ?? 60);
const MEAN_GAP_S = Number(process.env.WIDGET_MEAN_GAP_S ?? 20);
const SATURATION_S = Number(process.env.WIDGET_SATURATION_S ?? 20);
const DB = process.env.WIDGET_BENCH_DB ?? 'replyby_widget_bench';
const ORIGIN = 'http://shop.bench.localhost';
// WIDGET_PROFILE=dir: the server runs with --cpu-prof into that directory (one .cpuprofile per server start; the
// restart is then a SIGTERM, not a SIGKILL, so the timed server's profile is written).
const PROFILE_DIR = process.env.WIDGET_PROFILE;

/** A process's CPU seconds (user + system) from /proc: the server's share of the two cores. */
function procCpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The bench database's transaction and row counters (pg_stat_database), to count the server's work per message. */
async function dbCounters(url: string): Promise<{ tables: Map<string, number>; xact: number; returned: number; fetched: number; inserted: number; updated: number; deleted: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const { rows: [r] } = await c.query<Record<string, string>>(
      `SELECT xact_commit + xact_rollback AS xact, tup_returned AS returned, tup_fetched AS fetched, tup_inserted AS inserted, tup_updated AS updated, tup_deleted AS deleted
         FROM pg_stat_database WHERE datname = current_database()`);
    const { rows: tables } = await c.query<{ relname: string; seq: string; idx: string }>(
      'SELECT relname, seq_tup_read AS seq, coalesce(idx_tup_fetch, 0) AS idx FROM pg_stat_user_tables');
    return { tables: new Map(tables.map((t) => [t.relname, Number(t.seq) + Number(t.idx)])), xact: Number(r?.xact), returned: Number(r?.returned), fetched: Number(r?.fetched), inserted: Number(r?.inserted), updated: Number(r?.updated), deleted: Number(r?.deleted) };
  } finally {
    await c.end();
  }
}

type Visitor = {
  token: string; number: number; lastSeq: number; seen: Map<string, number>; sent: Set<string>; waiting: Map<string, (at: number) => void>; abort: AbortController | null;
  /** Messages posted and not yet announced on the agents' stream, oldest first (one chat's changes arrive in commit order). */
  agentWaiting: { resolve: (at: number) => void; answered: boolean }[];
};

function gzKb(): number {
  const file = path.join(REPO_ROOT, 'web/dist/widget.js');
  if (!existsSync(file)) execSync('npx vite build --config web/widget/vite.config.ts', { cwd: REPO_ROOT, stdio: 'ignore' });
  return gzipSync(readFileSync(file), { level: 9 }).length / 1024;
}

async function main(): Promise<void> {
  const js = gzKb();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dbUrl = await recreateDatabase(ADMIN_URL, DB);
  const env = { DATABASE_URL: databaseUrlFor(ADMIN_URL, DB), REPLYBY_SEED_DEMO: '1', REPLYBY_PUBLIC_URL: base, LOG_LEVEL: 'warn' };
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  let server: ServerHandle = await startServer({ env, port, nodeArgs, readyTimeoutMs: 300_000 });
  let up = true;
  try {
    const admin = await signIn(base, 'ada@demo.replyby.dev', 'demo1234');
    // The chat SLA's first-response target an hour away: nobody answers the 1,000 bench chats, and with the
    // default 60 s every chat's warning and breach (SLA monitor, notifications) would fall inside the timed
    // phase and be measured as message latency (BENCHMARKS.md, bench:widget). WIDGET_FIRST_RESPONSE_S overrides.
    const firstResponse = Number(process.env.WIDGET_FIRST_RESPONSE_S ?? 3600);
    const created = await fetch(`${base}/api/v1/channels`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'widget', name: 'Bench chat', widget: { allowed_origins: [ORIGIN], per_ip_per_minute: 100_000, per_visitor_per_minute: 1000, first_response_seconds: firstResponse } }),
    });
    if (created.status !== 201) throw new Error(`widget channel: ${created.status} ${await created.text()}`);
    const { id } = await created.json() as { id: string };
    const api = `${base}/api/v1/widget/${id}`;
    const headers = (token?: string) => ({ origin: ORIGIN, 'content-type': 'application/json', ...(token ? { 'x-widget-token': token } : {}) });

    // Sessions, 50 at a time.
    const visitors: Visitor[] = [];
    for (let i = 0; i < SESSIONS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, async (_, j) => {
        const res = await fetch(`${api}/sessions`, { method: 'POST', headers: headers(), body: JSON.stringify({ name: `Visitor ${i + j}`, message: `Hello from visitor ${i + j}` }) });
        if (res.status !== 201) throw new Error(`session: ${res.status} ${await res.text()}`);
        const { token, ticket_number: number } = await res.json() as { token: string; ticket_number: number };
        visitors.push({ token, number, lastSeq: 0, seen: new Map(), sent: new Set(), waiting: new Map(), abort: null, agentWaiting: [] });
      }));
    }

    // Each visitor's stream, reconnecting after its last seq whenever it drops (the script's EventSource does the same).
    let stopping = false;
    const stream = async (v: Visitor): Promise<void> => {
      while (!stopping) {
        v.abort = new AbortController();
        try {
          const res = await fetch(`${api}/stream?token=${encodeURIComponent(v.token)}&after=${v.lastSeq}`, { headers: { origin: ORIGIN }, signal: v.abort.signal });
          if (!res.ok || !res.body) throw new Error(String(res.status));
          for await (const frame of sseFrames(res.body)) {
            if (!frame.includes('event: message')) continue;
            const data = frameData<{ seq: number; body: string }>(frame);
            if (data.seq <= v.lastSeq) continue;
            v.lastSeq = data.seq;
            v.seen.set(data.body, (v.seen.get(data.body) ?? 0) + 1);
            v.waiting.get(data.body)?.(performance.now());
          }
        } catch { /* dropped: reconnect */ }
        if (!stopping) await new Promise((r) => setTimeout(r, up ? 200 : 1000));
      }
    };
    const streams = visitors.map((v) => stream(v));

    // The agents' live stream (the admin sees every ticket): a `message` change of a visitor's ticket is its
    // oldest message not yet announced. Only phases 1 and 2 are timed by it (no restart in between).
    const byNumber = new Map(visitors.map((v) => [v.number, v]));
    const agentAbort = new AbortController();
    let agentFrames = 0;
    const agentStream = (async () => {
      const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${admin}` }, signal: agentAbort.signal });
      if (!res.ok || !res.body) throw new Error(`agent stream: ${res.status}`);
      for await (const frame of sseFrames(res.body)) {
        if (!frame.includes('event: ticket')) continue;
        const data = frameData<{ number: number; kind: string }>(frame);
        if (data.kind !== 'message') continue;
        agentFrames += 1;
        // PostgreSQL delivers identical NOTIFY payloads of one transaction once: two messages of one chat
        // committed together are one change. So a change announces the oldest waiting message and every
        // other one whose POST was answered (committed) by now.
        const v = byNumber.get(data.number);
        if (!v) continue;
        const at = performance.now();
        v.agentWaiting.shift()?.resolve(at);
        for (const w of v.agentWaiting.filter((x) => x.answered)) w.resolve(at);
        v.agentWaiting = v.agentWaiting.filter((x) => !x.answered);
      }
    })().catch(() => undefined);

    type Sample = { post: number; agent: Promise<number | null>; visitor: Promise<number | null> };
    const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);
    /** Posts until a 2xx (the script's retry with the same client id); answers when the POST was answered. */
    const send = async (v: Visitor, text: string, clientId: string, timed: boolean): Promise<Sample | null> => {
      const visitorSeen = new Promise<number>((resolve) => v.waiting.set(text, resolve));
      const slot = { resolve: (_at: number) => undefined as void, answered: false };
      const agentSeen = timed ? new Promise<number>((resolve) => { slot.resolve = resolve; v.agentWaiting.push(slot); }) : null;
      const t0 = performance.now();
      for (let attempt = 0; attempt < 60; attempt += 1) {
        try {
          const res = await fetch(`${api}/messages`, { method: 'POST', headers: headers(v.token), body: JSON.stringify({ client_id: clientId, text }) });
          if (res.ok) {
            await res.arrayBuffer();
            slot.answered = true;
            v.sent.add(text);
            return {
              post: performance.now() - t0,
              agent: agentSeen ? within(agentSeen, 60_000).then((at) => (at === null ? null : at - t0)) : Promise.resolve(null),
              visitor: within(visitorSeen, 60_000).then((at) => (at === null ? null : at - t0)),
            };
          }
        } catch { /* the server is down: retry */ }
        await new Promise((r) => setTimeout(r, 500));
      }
      return null;
    };
    const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;

    /** One timed phase: what the visitors sent, when it reached the agents' and the visitors' streams, and who spent what. */
    const phase = async (name: string, window: number | null, drive: (samples: Sample[]) => Promise<void>) => {
      const at0 = { client: process.cpuUsage(), server: procCpuSeconds(server.child.pid), db: await dbCounters(dbUrl), at: performance.now() };
      const samples: Sample[] = [];
      await drive(samples);
      const wall = (performance.now() - at0.at) / 1000;
      const agent = (await Promise.all(samples.map((x) => x.agent))).filter((x): x is number => x !== null);
      const visitor = (await Promise.all(samples.map((x) => x.visitor))).filter((x): x is number => x !== null);
      const client = process.cpuUsage(at0.client);
      const serverCpu = procCpuSeconds(server.child.pid) - at0.server;
      const db1 = await dbCounters(dbUrl);
      const n = samples.length || 1;
      const per = (k: Exclude<keyof typeof db1, 'tables'>) => ((db1[k] - at0.db[k]) / n).toFixed(1);
      // A fixed window (people chatting): the messages sent in it per second; flat out: completed per second.
      const result = { n: samples.length, rate: samples.length / (window ?? wall), p99: pct(agent, 0.99), missing: samples.length - agent.length };
      console.log(`# ${name}: ${samples.length} messages in ${wall.toFixed(1)} s (${result.rate.toFixed(0)}/s); on the agents' stream p50 ${pct(agent, 0.5).toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${pct(agent, 1).toFixed(0)} ms`
        + ` (${result.missing} never announced); on the visitor's stream p50 ${pct(visitor, 0.5).toFixed(0)} ms, p99 ${pct(visitor, 0.99).toFixed(0)} ms; POST answered p50 ${pct(samples.map((x) => x.post), 0.5).toFixed(0)} ms, p99 ${pct(samples.map((x) => x.post), 0.99).toFixed(0)} ms`);
      console.log(`#   client cpu ${((client.user + client.system) / 1e6).toFixed(1)} s, server cpu ${serverCpu.toFixed(1)} s; per message: ${per('xact')} transactions, rows returned ${per('returned')} fetched ${per('fetched')} inserted ${per('inserted')} updated ${per('updated')} (whole database, worker included)`);
      const read = [...db1.tables].map(([t, rows]) => [t, (rows - (at0.db.tables.get(t) ?? 0)) / n] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
      console.log(`#   rows read per message, by table: ${read.map(([t, r]) => `${t} ${r.toFixed(1)}`).join(', ')}`);
      return result;
    };

    // Let the streams open.
    await new Promise((r) => setTimeout(r, 3000));
    // 1. People chatting: an open load, each visitor's pauses exponential (a Poisson stream per visitor).
    const chatEnd = performance.now() + CHAT_S * 1000;
    const chat = await phase(`people chatting (mean pause ${MEAN_GAP_S} s, ${(visitors.length / MEAN_GAP_S).toFixed(0)} messages/s offered)`, CHAT_S, async (samples) => {
      await Promise.all(visitors.map(async (v, i) => {
        const pending: Promise<void>[] = [];
        for (let m = 0; ; m += 1) {
          await new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * MEAN_GAP_S * 1000));
          if (performance.now() >= chatEnd) break;
          // A person does not wait for the last message to be answered before writing the next.
          pending.push(send(v, `v${i} c${m}`, `bench-${i}-c${m}`, true).then((x) => { if (x) samples.push(x); }));
        }
        await Promise.all(pending);
      }));
    });
    // 2. Saturation: every visitor sends again as soon as its POST is answered.
    const satEnd = performance.now() + SATURATION_S * 1000;
    const saturation = await phase('saturation (each visitor sends on every answer)', null, async (samples) => {
      await Promise.all(visitors.map(async (v, i) => {
        for (let m = 0; performance.now() < satEnd; m += 1) {
          const x = await send(v, `v${i} s${m}`, `bench-${i}-s${m}`, true);
          if (x) samples.push(x);
        }
      }));
    });
    console.log(`# agents' stream: ${agentFrames} message changes seen`);
    agentAbort.abort();
    await agentStream;

    // Across a restart: every visitor sends while the server is killed and started again.
    const during = Promise.all(visitors.map(async (v, i) => {
      for (let m = 0; m < 2; m += 1) {
        await new Promise((r) => setTimeout(r, Math.random() * 4000));
        await send(v, `v${i} r${m}`, `bench-${i}-r${m}`, false);
      }
    }));
    await new Promise((r) => setTimeout(r, 1000));
    up = false;
    // Profiling: a graceful stop, so the timed server writes its .cpuprofile (a SIGKILLed process writes none).
    server.child.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    await server.stop().catch(() => null);
    server = await startServer({ env, port, nodeArgs, readyTimeoutMs: 300_000 });
    up = true;
    await during;
    await new Promise((r) => setTimeout(r, 3000));
    let lost = 0;
    let twice = 0;
    for (const v of visitors) {
      for (const text of v.sent) if (!v.seen.has(text)) lost += 1;
      for (const n of v.seen.values()) if (n > 1) twice += 1;
    }
    stopping = true;
    for (const v of visitors) v.abort?.abort();
    await Promise.allSettled(streams);
    console.log(`# ${os.cpus().length} cpu, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${chat.n + saturation.n} timed messages, ${visitors.reduce((n, v) => n + v.sent.size, 0)} sent in all, ${lost} lost, ${twice} arrived twice`);
    console.log(`widget-bench: sessions=${visitors.length} msg_p99_ms=${chat.p99.toFixed(0)} lost=${lost + twice} js_gz_kb=${js.toFixed(1)} msgs_per_s=${chat.rate.toFixed(0)} saturation_msgs_per_s=${saturation.rate.toFixed(0)} saturation_p99_ms=${saturation.p99.toFixed(0)}`);
  } finally {
    await server.stop().catch(() => null);
    await dropDatabase(ADMIN_URL, DB).catch(() => undefined);
  }
}

await main();
