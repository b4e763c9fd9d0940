import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { crashAndFinish, describeCrash, LANES, seedAcknowledgements } from './helpers/outbox-crash.ts';

// Issue 16 point 6 on PGlite: a `replyby worker` process on a PGlite directory is killed with SIGKILL
// mid-batch while sending acknowledgements to a loopback SMTP sink; a fresh worker finishes. Every
// customer gets exactly one acknowledgement, except those whose send was in flight at the kill (at most
// one per lane); none already marked done is sent again. (test/pg/outbox-crash.test.ts: the same on PostgreSQL.)

const CUSTOMERS = 200;
// Not a multiple of the worker's batch of 40: the kill lands 35 sends into a batch.
const HOLD_AFTER = 75;
const dir = mkdtempSync(path.join(os.tmpdir(), 'replyby-outbox-crash-'));
let db: Db | null = null;

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('outbox worker killed mid-batch (PGlite)', () => {
  it('repeats only the sends in flight at the kill, under the same Message-ID', async () => {
    const setup = await openDb({ dataDir: dir });
    await migrate(setup);
    await seedAcknowledgements(setup, CUSTOMERS, new Date());
    await setup.close();

    const run = await crashAndFinish({ customers: CUSTOMERS, holdAfter: HOLD_AFTER, dbEnv: { REPLYBY_DATA_DIR: dir }, shared: null, open: () => openDb({ dataDir: dir }) });
    db = run.db;
    const c = run.count;
    // eslint-disable-next-line no-console
    console.log(describeCrash('PGlite', c));
    // The kill landed mid-way: the sink had answered what it would, and held sends in flight.
    expect(c.answeredAtKill).toBe(HOLD_AFTER);
    expect(c.heldAtKill).toBeGreaterThan(0);
    expect(c.missing).toEqual([]);
    // Exactly one acknowledgement per customer, except those in flight at the kill.
    expect(c.duplicates.filter((to) => !c.inFlight.has(to))).toEqual([]);
    expect(c.confirmedRepeated).toEqual([]);
    // In flight means at most one send per lane, not the rest of the batch.
    expect(c.inFlight.size).toBeLessThanOrEqual(LANES);
    expect(c.repeatsWithNewId).toBe(0);
  }, 400_000);
});
