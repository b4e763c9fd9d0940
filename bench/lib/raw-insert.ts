// The physical limit for durable intake on an engine: single-row INSERTs, one row per
// transaction (autocommit), into a table shaped like `tickets`, with no application around them.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type RawInsertResult = { rows: number; seconds: number; rps: number; verifiedRows: number };

const CREATE_TABLE = `CREATE TABLE raw_intake (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigserial NOT NULL UNIQUE,
  subject text NOT NULL,
  type text NOT NULL,
  priority text NOT NULL,
  status text NOT NULL,
  requester_email text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
)`;

const INSERT = `INSERT INTO raw_intake (subject, type, priority, status, requester_email, created_at, updated_at)
  VALUES ($1, $2, $3, 'new', $4, $5, $5)`;

const TYPES = ['technical_question', 'information_request', 'complaint', 'suggestion'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

function rowParams(i: number): unknown[] {
  return [`Raw intake row ${i}`, TYPES[i % TYPES.length], PRIORITIES[i % PRIORITIES.length], `raw-${i % 300}@example.test`, new Date()];
}

/** PGlite is one connection in-process: the loop is sequential, as every caller's statements would be. */
export async function rawInsertPglite(dataDir: string, seconds: number): Promise<RawInsertResult> {
  const db = await PGlite.create(dataDir); // the same defaults the server uses (src/store/db.ts)
  try {
    await db.exec(CREATE_TABLE);
    // A short warm-up, not counted.
    for (let i = 0; i < 200; i++) await db.query(INSERT, rowParams(i));
    await db.exec('TRUNCATE raw_intake');
    let rows = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    while (performance.now() < deadline) {
      await db.query(INSERT, rowParams(rows));
      rows += 1;
    }
    const elapsed = (performance.now() - start) / 1000;
    const [count] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_intake')).rows;
    return { rows, seconds: elapsed, rps: rows / elapsed, verifiedRows: count?.n ?? -1 };
  } finally {
    await db.close();
  }
}

/** PostgreSQL: `concurrency` connections, each running autocommit single-row INSERTs back to back. */
export async function rawInsertPostgres(databaseUrl: string, seconds: number, concurrency: number): Promise<RawInsertResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  // pool.end() resolves before every socket is closed; a backend ended later (DROP DATABASE … FORCE) must not crash us.
  pool.on('error', () => undefined);
  try {
    await pool.query('DROP TABLE IF EXISTS raw_intake');
    await pool.query(CREATE_TABLE);
    // Open every connection and warm the plan cache before the clock starts.
    await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; i < 20; i++) await pool.query(INSERT, rowParams(w * 20 + i));
    }));
    await pool.query('TRUNCATE raw_intake');
    let rows = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          await client.query(INSERT, rowParams(rows));
          rows += 1;
        }
      } finally {
        client.release();
      }
    }));
    const elapsed = (performance.now() - start) / 1000;
    const { rows: [count] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_intake');
    await pool.query('DROP TABLE raw_intake');
    return { rows, seconds: elapsed, rps: rows / elapsed, verifiedRows: count?.n ?? -1 };
  } finally {
    await pool.end();
  }
}
