import { describe, expect, it } from 'vitest';
import { migrate } from '../src/store/migrate.ts';
import { openTestDb } from './helpers/test-db.ts';

describe('migrations', () => {
  it('apply once, even when two runs race (advisory lock), and are idempotent afterwards', async () => {
    const db = await openTestDb(); // already migrated once
    try {
      const results = await Promise.all([migrate(db), migrate(db)]);
      expect(results.flatMap((r) => r.applied)).toEqual([]);
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(['0001_init.sql']);
      const lists = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM list_entries WHERE list = 'ticket_type'");
      expect(lists[0]?.n).toBe(7);
    } finally {
      await db.dispose();
    }
  });
});
