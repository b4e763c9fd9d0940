import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { copyText } from './copy-text.ts';

// One SQL dialect (PostgreSQL) on two engines: PGlite in-process, or a PostgreSQL server.
// We chose a thin adapter over an ORM: both engines take the same parametrised SQL, and the
// repositories stay plain, reviewable SQL with typed row mappers.

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  /** The same object for a database and all its transactions: a key for per-database caches. */
  readonly cacheScope: object;
}

/** Stops a LISTEN. */
export type Unlisten = () => Promise<void>;

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel of this database's schema (NOTIFYs sent with `schemaChannel(name)` in SQL): PGlite
   * delivers in-process, a server over a dedicated connection that reconnects. Payloads arrive after commit.
   * `onReconnect` runs after the server connection came back: what was sent while it was down is lost, so a
   * cache that relies on the notifications drops its contents there.
   */
  listen(channel: string, onPayload: (payload: string) => void, options?: { onReconnect?: () => void }): Promise<Unlisten>;
  /** Also ends the LISTEN connections still open on this database. */
  close(): Promise<void>;
  /**
   * PostgreSQL only: a one-text-column statement's values streamed by COPY (store/copy-text.ts), `$n` given as values.
   * PGlite has none: its callers keep a paged path.
   */
  copyText?(sql: string, params: readonly unknown[]): AsyncIterable<Buffer>;
  /** An in-memory PGlite's whole data directory, to start other databases from (tests' migrated template). */
  snapshot?(): Promise<Blob>;
}

export type DbOptions = {
  databaseUrl?: string | undefined; dataDir?: string | undefined; schema?: string; poolSize?: number;
  /** In-memory PGlite only: start from this snapshot instead of running initdb (seconds per test file). */
  template?: Blob | undefined;
};

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize);
  return openPglite(options.dataDir, options.template);
}

async function openPglite(dataDir: string | undefined, template: Blob | undefined): Promise<Db> {
  // undefined dataDir = in memory (tests)
  const lite = dataDir ? await PGlite.create(dataDir) : template ? await PGlite.create({ loadDataDir: template }) : await PGlite.create();
  const cacheScope = {};
  const asQueryable = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    cacheScope,
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query<T>(sql, [...params]);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    engine: 'pglite',
    ...asQueryable(lite),
    transaction: (fn) => lite.transaction((tx) => fn(asQueryable(tx))),
    async listen(channel, onPayload) {
      // PGlite runs NOTIFY in-process and folds channel names to lower case like PostgreSQL.
      const stop = await lite.listen(`${channel}_public`, (payload) => onPayload(payload));
      return stop;
    },
    close: () => lite.close(),
    snapshot: async () => {
      const dump = await lite.dumpDataDir('none');
      return dump instanceof Blob ? dump : new Blob([dump]);
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A server that is down or unreachable must fail at start, not on the first request.
  const probe = await pool.connect();
  // LISTEN channels carry the schema NOTIFY names with current_schema(): also when the URL sets the search_path.
  const current = schema ?? (await probe.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
  probe.release();
  const run = async <T extends Row>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] = []) => {
    // Named statements are parsed and planned once per connection instead of on every call:
    // about 30 % less PostgreSQL CPU per ticket in bench:intake. The name is derived from the text,
    // so one name always means one statement.
    const name = statementName(sql);
    const res = await client.query<T>(name ? { name, text: sql, values: [...params] } : { text: sql, values: [...params] });
    return res.rows;
  };
  const cacheScope = {};
  const listeners = new Set<Unlisten>();
  return {
    engine: 'postgres',
    cacheScope,
    query: (sql, params) => run(pool, sql, params),
    copyText: (sql, params) => copyText(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      // BEGIN is sent with the transaction's first statement: a statement without parameters (intake's
      // configuration version) goes in the same simple-protocol message, one round trip instead of two.
      let begun = false;
      const begin = async () => {
        if (begun) return;
        begun = true;
        await client.query('BEGIN');
      };
      try {
        const out = await fn({
          cacheScope,
          async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
            if (!begun && params.length === 0) {
              begun = true;
              return lastResultRows<T>(await client.query(`BEGIN;\n${sql}`));
            }
            await begin();
            return run<T>(client, sql, params);
          },
          exec: async (sql) => {
            await begin();
            await client.query(sql);
          },
        });
        // A transaction that ran nothing has nothing to commit.
        if (begun) await client.query('COMMIT');
        return out;
      } catch (err) {
        if (begun) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    async listen(channel, onPayload, options) {
      const stop = await listenPostgres(url, `${channel}_${current}`, onPayload, options?.onReconnect);
      const unlisten: Unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

/** node-postgres answers a message of several statements with one result each: the last is the caller's statement. */
function lastResultRows<T extends Row>(res: pg.QueryResult | pg.QueryResult[]): T[] {
  const results = Array.isArray(res) ? res : [res];
  return (results.at(-1)?.rows ?? []) as T[];
}

/**
 * A dedicated connection (LISTEN cannot share a pooled one) that reconnects with backoff when the server
 * drops it; notifications sent while it was down are lost, which the web client covers by refetching when
 * its own stream reconnects.
 */
async function listenPostgres(url: string, channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten> {
  let client: pg.Client | null = null;
  let stopped = false;
  let delay = 250;
  let connections = 0;
  const ident = `"${channel.replace(/"/g, '""')}"`;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: withDefaultUser(url) });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    c.on('error', () => {
      // 'end' follows and schedules the reconnect
    });
    c.on('end', () => {
      if (client === c) client = null;
      if (!stopped) setTimeout(() => void connect().catch(() => undefined), delay).unref();
      delay = Math.min(delay * 2, 10_000);
    });
    await c.connect();
    await c.query(`LISTEN ${ident}`);
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delay = 250;
    connections += 1;
    if (connections > 1) onReconnect?.();
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}

/** libpq falls back to the OS user when the URL names none; node-postgres reads $USER, which some runners leave unset. */
function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = os.userInfo().username;
  return parsed.toString();
}

// Each named statement stays prepared on every connection that ran it. The repositories' texts are a
// bounded set (a few hundred, counting the filter combinations of dynamic queries), so past this many
// distinct texts something is generating SQL freely: run those unnamed rather than grow without end.
const MAX_NAMED_STATEMENTS = 2000;
const statementNames = new Map<string, string>();
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `rb_${createHash('sha1').update(sql).digest('base64url')}`;
    statementNames.set(sql, name);
  }
  return name;
}
