import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { crashAndFinish, describeCrash, LANES, seedAcknowledgements } from '../helpers/outbox-crash.ts';
import { openTestDb } from '../helpers/test-db.ts';

// Issue 16 point 6 on PostgreSQL, as the probe saw it (28 of 2,000 customers acknowledged twice after a
// kill -9): a `replyby worker` process is killed with SIGKILL mid-batch while sending acknowledgements to
// a loopback SMTP sink; a fresh worker finishes. Every customer gets exactly one acknowledgement, except
// those whose send was in flight at the kill (at most one per lane); none already marked done is sent again.

const CUSTOMERS = 1000;
// Not a multiple of the worker's batch of 40: the kill lands 15 sends into a batch.
const HOLD_AFTER = 335;
let db: (Db & { dispose: () => Promise<void> }) | null = null;

afterAll(async () => {
  await db?.dispose();
});

describe('outbox worker killed mid-batch (PostgreSQL)', () => {
  it('repeats only the sends in flight at the kill, under the same Message-ID', async () => {
    const test = await openTestDb();
    db = test;
    const [row] = await test.query<{ s: string }>('SELECT current_schema() AS s');
    const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
    url.searchParams.set('options', `-c search_path=${row?.s ?? 'public'}`);
    await seedAcknowledgements(test, CUSTOMERS, new Date());

    const { count: c } = await crashAndFinish({ customers: CUSTOMERS, holdAfter: HOLD_AFTER, dbEnv: { DATABASE_URL: url.toString() }, shared: test, open: async () => test });
    // eslint-disable-next-line no-console
    console.log(describeCrash('PostgreSQL', c));
    expect(c.answeredAtKill).toBe(HOLD_AFTER);
    expect(c.heldAtKill).toBeGreaterThan(0);
    expect(c.missing).toEqual([]);
    expect(c.duplicates.filter((to) => !c.inFlight.has(to))).toEqual([]);
    expect(c.confirmedRepeated).toEqual([]);
    expect(c.inFlight.size).toBeLessThanOrEqual(LANES);
    expect(c.repeatsWithNewId).toBe(0);
  }, 400_000);
});
