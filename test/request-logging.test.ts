import pino from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.ts';
import { createLogger } from '../src/cli/main.ts';
import { buildServer } from '../src/http/server.ts';
import { openTestDb } from './helpers/test-db.ts';

// Review 17: at the default level no line per HTTP request, so the start banner and logged links stay visible.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function serverLoggingAt(level: 'info' | 'debug') {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  const logger = pino({ level }, sink);
  const db = await openTestDb();
  const ctx: AppContext = { db, now: () => new Date(), settings: { ticketPrefix: '#', publicUrl: 'http://replyby.test' }, log: logger };
  const app = await buildServer(ctx, { bodyLimitBytes: 64 * 1024, logLevel: level, logger, signInPerMinute: 1000, publicPerMinute: 1000, secureCookies: false });
  closers.push(async () => { await app.close(); await db.dispose(); });
  return { app, lines };
}

describe('request logging', () => {
  // Each builds a server over a fresh database: slow on a loaded machine, hence the generous timeouts.
  it('writes nothing per request at info', { timeout: 120_000 }, async () => {
    const { app, lines } = await serverLoggingAt('info');
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(lines).toEqual([]);
  });

  it('writes one line per request at debug, with the route pattern and never the sign-in token in the path', { timeout: 120_000 }, async () => {
    const { app, lines } = await serverLoggingAt('debug');
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/api/v1/portal/magic/rbm_secret-token-value', headers: { accept: 'application/json' } });
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.map((r) => [r.method, r.route, r.status])).toEqual([['GET', '/health', 200], ['GET', '/api/v1/portal/magic/:token', 401]]);
    expect(lines.join('\n')).not.toContain('rbm_secret-token-value');
  });

  it('on a terminal the CLI logs one readable line, not JSON', () => {
    const written: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { written.push(String(chunk)); done(); } });
    createLogger('info', true, sink).info({ applied: ['0001'] }, 'migrations applied');
    const out = written.join('');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/INFO.*migrations applied/);
    expect(() => JSON.parse(out)).toThrow();
  });
});
