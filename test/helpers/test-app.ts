import type { FastifyInstance, InjectOptions } from 'fastify';
import type { AppContext } from '../../src/app/context.ts';
import { hashPassword } from '../../src/app/auth/secrets.ts';
import { buildServer, type ServerOptions } from '../../src/http/server.ts';
import { openTestDb } from './test-db.ts';

export type TestClock = { now: Date; set: (iso: string) => void; advanceMinutes: (m: number) => void };

export type TestApp = {
  app: FastifyInstance;
  ctx: AppContext;
  clock: TestClock;
  close: () => Promise<void>;
  /** JSON request as a bearer-token client. */
  call: (method: InjectOptions['method'], url: string, token?: string | null, body?: unknown) => Promise<{ status: number; body: any }>;
  signIn: (email: string, password?: string, portal?: boolean) => Promise<string>;
  fixtures: Fixtures;
};

export type Fixtures = {
  groups: { support: string; billing: string };
  users: { admin: string; supervisor: string; agentSupport: string; agentBilling: string };
  orgs: { acme: string; globex: string };
  contacts: { anna: string; oleg: string; ben: string };
};

export const PASSWORD = 'secret-pass-1';

/** A server over a fresh database with a controllable clock and a small cast of people. */
export async function startTestApp(options: { rateLimit?: number; server?: Partial<ServerOptions>; settings?: Partial<AppContext['settings']> } = {}): Promise<TestApp> {
  const db = await openTestDb();
  const clock: TestClock = {
    now: new Date('2025-03-10T08:00:00Z'),
    set(iso) {
      this.now = new Date(iso);
    },
    advanceMinutes(m) {
      this.now = new Date(this.now.getTime() + m * 60_000);
    },
  };
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ctx: AppContext = { db, now: () => clock.now, settings: { ticketPrefix: '#', publicUrl: 'http://replyby.test', ...options.settings }, log: silent };
  const app = await buildServer(ctx, {
    bodyLimitBytes: 64 * 1024, logLevel: 'silent', signInPerMinute: options.rateLimit ?? 1000, publicPerMinute: options.rateLimit ?? 1000, secureCookies: false,
    ...options.server,
  });
  const fixtures = await insertFixtures(ctx);
  const call: TestApp['call'] = async (method, url, token, body) => {
    const res = await app.inject({
      method, url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body ? safeJson(res.body) : null };
  };
  const signIn: TestApp['signIn'] = async (email, password = PASSWORD, portal = false) => {
    const res = await call('POST', portal ? '/api/v1/portal/sign-in' : '/api/v1/auth/sign-in', null, { email, password });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  return { app, ctx, clock, call, signIn, fixtures, close: async () => { await app.close(); await db.dispose(); } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function insertFixtures(ctx: AppContext): Promise<Fixtures> {
  const hash = await hashPassword(PASSWORD);
  const now = ctx.now();
  const one = async (sql: string, params: unknown[]): Promise<string> => {
    const [row] = await ctx.db.query<{ id: string }>(sql, params);
    if (!row) throw new Error(`fixture insert returned nothing: ${sql}`);
    return row.id;
  };
  const group = (name: string, isDefault: boolean) => one('INSERT INTO groups (name, is_default, created_at) VALUES ($1, $2, $3) RETURNING id', [name, isDefault, now]);
  const user = (email: string, role: string) =>
    one("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $4) RETURNING id", [email, role, hash, now]);
  const org = (name: string, tier: string, domain: string) =>
    one('INSERT INTO organizations (name, tier, domains, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id', [name, tier, [domain], now]);
  const contact = (email: string, orgId: string | null, manager: boolean) =>
    one('INSERT INTO contacts (email, name, organization_id, is_org_manager, password_hash, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $5, $5) RETURNING id', [email, orgId, manager, hash, now]);
  const support = await group('Support', true);
  const billing = await group('Billing', false);
  const users = {
    admin: await user('admin@test.dev', 'admin'),
    supervisor: await user('super@test.dev', 'supervisor'),
    agentSupport: await user('alex@test.dev', 'agent'),
    agentBilling: await user('bea@test.dev', 'agent'),
  };
  await ctx.db.query('INSERT INTO group_members (group_id, user_id) VALUES ($1, $2), ($3, $4)', [support, users.agentSupport, billing, users.agentBilling]);
  const acme = await org('Acme', 'enterprise', 'acme.example');
  const globex = await org('Globex', 'standard', 'globex.example');
  return {
    groups: { support, billing },
    users,
    orgs: { acme, globex },
    contacts: { anna: await contact('anna@acme.example', acme, true), oleg: await contact('oleg@acme.example', acme, false), ben: await contact('ben@globex.example', globex, false) },
  };
}
