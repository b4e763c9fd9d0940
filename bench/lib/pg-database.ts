// A throw-away PostgreSQL database for one bench run, on the server named by an admin URL.
import os from 'node:os';
import pg from 'pg';

/** node-postgres reads $USER for a URL without a user, which some runners leave unset (as src/store/db.ts does). */
export function withUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = os.userInfo().username;
  return parsed.toString();
}

export function databaseUrlFor(adminUrl: string, database: string): string {
  const parsed = new URL(withUser(adminUrl));
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Connects once: the server version and durability settings, or why it is unreachable. */
export async function probePostgres(adminUrl: string): Promise<{ ok: true; version: string; settings: Record<string, string> } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: withUser(adminUrl), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows: [v] } = await client.query<{ server_version: string }>('SHOW server_version');
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'max_connections', 'shared_buffers', 'wal_sync_method', 'commit_delay')`);
    const settings = Object.fromEntries(rows.map((r) => [r.name, r.unit && r.unit !== 'ms' && r.unit !== 's' ? `${r.setting}×${r.unit}` : r.setting]));
    return { ok: true, version: v?.server_version ?? '?', settings };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withUser(adminUrl) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(adminUrl: string, database: string): Promise<string> {
  if (!IDENT.test(database)) throw new Error(`bad database name "${database}"`);
  await admin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  });
  return databaseUrlFor(adminUrl, database);
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  if (!IDENT.test(database)) throw new Error(`bad database name "${database}"`);
  await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}
