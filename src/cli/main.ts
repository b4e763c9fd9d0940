import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { AppContext } from '../app/context.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../app/demo/seed-demo.ts';
import { installStartingPolicies } from '../app/promise/default-commitments.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { buildServer } from '../http/server.ts';
import { createMailer } from '../jobs/mailer.ts';
import { startOutboxWorker } from '../jobs/outbox-worker.ts';
import { startRoutingSweep } from '../jobs/routing-sweep.ts';
import { startSlaMonitor } from '../jobs/sla-monitor.ts';
import { startLifecycleSweep } from '../jobs/lifecycle-sweep.ts';
import { startWebhookDispatcher } from '../jobs/webhook-dispatcher.ts';
import { startKpiRollup } from '../jobs/kpi-rollup.ts';
import { openDb, type Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { planErlangCommand } from './commands/plan-erlang.ts';
import { slaSimulateCommand } from './commands/sla-simulate.ts';
import { startMailChannels } from './mail-channels.ts';
import { triageTrainCommand } from './commands/triage-train.ts';
import { importCommand } from './commands/import.ts';
import { exportCommand, fileOut } from './commands/export.ts';

const USAGE = `Usage: replyby <command>
  --help                print this help
  start                 run the server (migrates and seeds demo data on first start); REPLYBY_ROLES=web,worker picks the parts
  worker                run only the SLA monitor and the outbox (e-mail, webhooks), no HTTP server
  migrate               apply database migrations and exit
  seed                  add the demo data to an empty database
  sla simulate FILE|-   evaluate SLA clocks for a JSON scenario (docs/sla-simulator.md)
  plan erlang --calls N --interval MIN --aht S --answer S --sl SHARE [--shrinkage SHARE] [--max-occupancy SHARE]
                        agents and staff an interval needs (Erlang C, docs/planning.md)
  triage train          retrain the type/urgency classifier on resolved tickets
  import events|tickets FILE --mapping MAPPING.json [--dry-run] [--batch N] [--json]
                        import a history: an event log or a ticket file (docs/import.md); exit 0 all written, 1 some rejected, 2 mapping wrong
  export tickets --format jsonl|csv [--kind tickets|events|messages] [--from ISO] [--to ISO] [--out FILE]
                        tickets with their events and messages, streamed (docs/export.md); also the report filters (--group-id, --channel, …)`;

async function openDatabase(config: Config): Promise<Db> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  return openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

/** A one-shot command's database (migrated) and context; logs go to standard error, standard output is the command's. */
async function openCliContext(config: Config): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const db = await openDatabase(config);
  await migrate(db);
  return { ctx: contextFor(db, config, pino({ level: config.logLevel }, pino.destination(2))), close: () => db.close() };
}

function contextFor(db: Db, config: Config, log: pino.Logger): AppContext {
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  return { db, now: () => new Date(), settings: { ticketPrefix: config.ticketPrefix, publicUrl, allowPrivateUrls: config.allowPrivateUrls, telegramApiUrl: config.telegramApiUrl, digestWindowMs: config.digestWindowMs, email: config.email, tokenRateLimitPerMinute: config.tokenRateLimitPerMinute, ...(config.oidc ? { oidc: config.oidc } : {}) }, log };
}

/**
 * JSON lines for log collectors; on a terminal, one readable line per entry (pino-pretty), so the start
 * banner and the sign-in links a developer reads from the log stay legible.
 */
export function createLogger(level: Config['logLevel'], tty: boolean = process.stdout.isTTY === true, destination: NodeJS.WritableStream | number = 1): pino.Logger {
  if (!tty) return pino({ level });
  return pino({ level }, pretty({ singleLine: true, colorize: typeof destination === 'number', translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', destination, sync: true }));
}

async function start(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config);
  if (!config.skipMigrations) {
    const { applied } = await migrate(db);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const ctx = contextFor(db, config, log);
  const seeded = config.roles.web && config.seedDemo ? await seedDemo(ctx) : false;
  if (config.roles.web && !seeded) {
    const installed = await installStartingPolicies(ctx);
    if (installed) log.info({ policies: installed }, 'starting SLA policies installed');
  }
  // The worker role: the SLA monitor, the outbox, the routing sweep and the lifecycle webhooks' dispatcher. Any number of processes may run it.
  const workers = config.roles.worker
    ? [startOutboxWorker(ctx, createMailer(config.smtpUrl, config.mailFrom, log), 1000, config.outboxLockSeconds), await startSlaMonitor(ctx, { concurrency: config.monitorConcurrency }), startRoutingSweep(ctx), startLifecycleSweep(ctx, 60_000, { surgeDetection: config.surgeDetection }), startWebhookDispatcher(ctx), startKpiRollup(ctx)]
    : [];
  // Inbound e-mail (SMTP listener, IMAP polling) comes in with the web role: it is intake.
  const mail = config.roles.web ? await startMailChannels(ctx, config) : null;
  const app = config.roles.web ? await buildServer(ctx, {
    bodyLimitBytes: config.bodyLimitBytes, logLevel: config.logLevel, logger: log, trustProxy: config.trustProxy,
    signInPerMinute: config.rateLimitSignInPerMinute, publicPerMinute: config.rateLimitPublicPerMinute,
    secureCookies: ctx.settings.publicUrl.startsWith('https:'),
    clientTimeouts: config.clientTimeouts, streamsPerSession: config.streamsPerSession,
  }) : null;
  if (app) {
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl ?? `http://localhost:${port}`;
    const engine = config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
    process.stdout.write([
      '',
      `Replyby is running at ${url}  (database: ${engine}${seeded ? ', demo data seeded' : ''})`,
      `  Agent workspace  ${url}/`,
      `  Web form         ${url}/support`,
      `  Customer portal  ${url}/portal`,
      `  API docs         ${url}/api/docs`,
      `Demo logins (password "${DEMO_PASSWORD}"):`,
      ...DEMO_LOGINS.map((l) => `  ${l.email.padEnd(26)} ${l.role}`),
      '',
    ].join('\n'));
  } else {
    process.stdout.write(`Replyby worker running (SLA monitor + outbox)${config.roles.worker ? '' : ' — no roles enabled'}\n`);
  }
  const shutdown = async () => {
    await app?.close();
    await mail?.stop();
    for (const w of workers) await w.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'sla' && rest[0] === 'simulate') {
    return slaSimulateCommand(rest.slice(1), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, readFile: (p) => readFile(p, 'utf8') });
  }
  if (command === 'plan' && rest[0] === 'erlang') {
    return planErlangCommand(rest.slice(1), { stdout: process.stdout, stderr: process.stderr });
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const triageTrain = command === 'triage' && rest[0] === 'train';
  if (command !== 'start' && command !== 'worker' && command !== 'migrate' && command !== 'seed' && command !== 'import' && command !== 'export' && !triageTrain) {
    process.stderr.write(`${command ? `unknown command "${command}"\n` : ''}${USAGE}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (command === 'start' || command === 'worker') {
    await start(command === 'worker' ? { ...config, roles: { web: false, worker: true } } : config);
    return -1; // keeps running
  }
  if (command === 'export') {
    return exportCommand(rest, { stdout: process.stdout, stderr: process.stderr, openOut: fileOut }, () => openCliContext(config));
  }
  if (command === 'import') {
    return importCommand(rest, { stdout: process.stdout, stderr: process.stderr, readFile: (p) => readFile(p, 'utf8') }, () => openCliContext(config));
  }
  const db = await openDatabase(config);
  try {
    const { applied } = await migrate(db);
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n');
    if (command === 'seed') {
      const log = createLogger(config.logLevel);
      process.stdout.write((await seedDemo(contextFor(db, config, log))) ? 'demo data seeded\n' : 'users exist; demo data not added\n');
    }
    if (triageTrain) return await triageTrainCommand(contextFor(db, config, pino({ level: config.logLevel })), process.stdout);
    return 0;
  } finally {
    await db.close();
  }
}
