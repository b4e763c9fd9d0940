import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db.ts';
import { openTestDb } from './helpers/test-db.ts';

// The store's transactions on both engines. On PostgreSQL BEGIN travels with the transaction's first
// statement when that statement has no parameters (one round trip fewer per intake): it must still run
// inside the transaction, return its own rows, and roll back with the rest.

let db: Db & { dispose: () => Promise<void> };

beforeAll(async () => {
  db = await openTestDb();
  await db.exec('CREATE TABLE tx_probe (n int NOT NULL)');
});
afterAll(async () => {
  await db.dispose();
});

describe('transactions', () => {
  it('a first statement without parameters returns its rows and runs in the same transaction as the next', async () => {
    const [first, second] = await db.transaction(async (tx) => {
      const a = await tx.query<{ x: string; one: number }>('SELECT pg_current_xact_id()::text AS x, 1 AS one');
      const b = await tx.query<{ x: string; n: number }>('SELECT pg_current_xact_id()::text AS x, $1::int AS n', [7]);
      return [a, b];
    });
    expect(first).toEqual([{ x: expect.any(String), one: 1 }]);
    expect(second?.[0]?.n).toBe(7);
    expect(second?.[0]?.x).toBe(first?.[0]?.x);
  });

  it('rolls back a parameterless first write when the transaction fails, and commits it when it succeeds', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (n) VALUES (1)');
      await tx.query('INSERT INTO tx_probe (n) VALUES ($1)', [2]);
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(await db.query('SELECT n FROM tx_probe')).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (n) VALUES (3)');
    });
    expect(await db.query('SELECT n FROM tx_probe')).toEqual([{ n: 3 }]);
  });

  it('a failing first statement leaves the connection usable, and a transaction that runs nothing returns its value', async () => {
    await expect(db.transaction((tx) => tx.query('SELECT no_such_column FROM tx_probe'))).rejects.toThrow(/no_such_column/);
    expect(await db.transaction(async () => 'nothing ran')).toBe('nothing ran');
    const rows = await db.transaction((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe'));
    expect(rows).toEqual([{ n: 1 }]);
  });
});
