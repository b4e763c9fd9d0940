import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { existsSync, readFileSync } from 'node:fs';
import { TEMPLATE_ENV } from './pglite-template.ts';

/** The migrated snapshot the global setup wrote (vitest.config.ts), or undefined to start from scratch. */
function pgliteTemplate(): Blob | undefined {
  const file = process.env[TEMPLATE_ENV];
  return file && existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default (`npm test`, no
 * server), or its own schema on the server named by TEST_DATABASE_URL (`npm run test:pg`).
 */
export async function openTestDb(): Promise<Db & { dispose: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openDb({ template: pgliteTemplate() });
    await migrate(db);
    return Object.assign(db, { dispose: () => db.close() });
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ databaseUrl: url, poolSize: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openDb({ databaseUrl: url, schema, poolSize: 5 });
  await migrate(db);
  return Object.assign(db, {
    dispose: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  });
}
