import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

// Vitest global setup for `npm test`: one migrated in-memory PGlite, snapshotted to a file that every test
// file's database starts from (test-db.ts). PGlite's initdb costs seconds per database; loading the snapshot
// costs a fraction of that, and the schema is the same migrations either way (test-db still runs migrate,
// which finds nothing to do). Without the file (another runner, an old snapshot) test-db starts from scratch.
export const TEMPLATE_ENV = 'REPLYBY_TEST_PGLITE_TEMPLATE';

let dir: string | null = null;

export async function setup(): Promise<void> {
  const db = await openDb({});
  try {
    await migrate(db);
    const snapshot = await db.snapshot?.();
    if (!snapshot) return;
    dir = mkdtempSync(path.join(tmpdir(), 'replyby-pglite-template-'));
    const file = path.join(dir, 'template.tar');
    writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
    process.env[TEMPLATE_ENV] = file;
  } finally {
    await db.close();
  }
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
