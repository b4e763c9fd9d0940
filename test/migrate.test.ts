import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

/** Two independent connections to one empty database: two processes starting at once. */
async function twoClientsOnEmptyDb(): Promise<{ a: Db; b: Db; dispose: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openDb({}); // PGlite is single-connection: both "processes" share it
    return { a: db, b: db, dispose: () => db.close() };
  }
  const schema = `m_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ databaseUrl: url, poolSize: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const a = await openDb({ databaseUrl: url, schema, poolSize: 2 });
  const b = await openDb({ databaseUrl: url, schema, poolSize: 2 });
  return {
    a, b,
    dispose: async () => {
      await a.close();
      await b.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

describe('migrations', () => {
  it('two clients migrating an empty database at once apply each migration exactly once', async () => {
    const { a, b, dispose } = await twoClientsOnEmptyDb();
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = readdirSync(new URL('../src/store/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).sort();
      expect(all.length).toBeGreaterThan(1);
      // Each migration exactly once, all by one client (the other waited on the lock and found nothing to do).
      expect([ra.applied, rb.applied].sort((x, y) => y.length - x.length)).toEqual([all, []]);
      expect((await migrate(a)).applied).toEqual([]);
      const lists = await b.query<{ n: number }>("SELECT count(*)::int AS n FROM list_entries WHERE list = 'ticket_type'");
      expect(lists[0]?.n).toBe(7);
    } finally {
      await dispose();
    }
  });
});
