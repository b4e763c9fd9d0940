import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_DEFAULTS, loadLifecycleSettings } from '../src/app/promise/lifecycle-settings.ts';
import { loadSettings } from '../src/app/settings/settings.ts';
import { TRIAGE_SETTINGS } from '../src/app/triage/triage-settings.ts';
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

  it('0003 voids the reusable links the old web form handed out and ends customer sessions, keeping staff signed in', async () => {
    const { a: db, dispose } = await twoClientsOnEmptyDb();
    const source = new URL('../src/store/migrations/', import.meta.url).pathname;
    const before = mkdtempSync(path.join(tmpdir(), 'replyby-mig-'));
    try {
      for (const f of ['0001_init.sql', '0002_sla_config_version.sql']) copyFileSync(path.join(source, f), path.join(before, f));
      await migrate(db, before);
      const [contact] = await db.query<{ id: string }>("INSERT INTO contacts (email, name, created_at, updated_at) VALUES ('v@example.org', 'V', now(), now()) RETURNING id");
      const [user] = await db.query<{ id: string }>("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('s@test.dev', 'S', 'agent', 'x', now(), now()) RETURNING id");
      await db.query("INSERT INTO magic_links (token_hash, contact_id, next_path, reusable, created_at, expires_at) VALUES ('old-follow', $1, '/portal/tickets/1', true, now(), now() + interval '90 days')", [contact?.id]);
      await db.query("INSERT INTO magic_links (token_hash, contact_id, next_path, reusable, created_at, expires_at) VALUES ('mailed', $1, '/portal', false, now(), now() + interval '1 day')", [contact?.id]);
      await db.query("INSERT INTO sessions (token_hash, principal_kind, principal_id, created_at, expires_at) VALUES ('c', 'contact', $1, now(), now() + interval '14 days'), ('u', 'user', $2, now(), now() + interval '14 days')", [contact?.id, user?.id]);
      expect((await migrate(db)).applied).toContain('0003_one_time_links_only.sql');
      const links = await db.query<{ token_hash: string; live: boolean }>('SELECT token_hash, expires_at > now() AS live FROM magic_links ORDER BY token_hash');
      expect(links).toEqual([{ token_hash: 'mailed', live: true }, { token_hash: 'old-follow', live: false }]);
      expect(await db.query('SELECT principal_kind FROM sessions')).toEqual([{ principal_kind: 'user' }]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await dispose();
    }
  });

  it('0014 moves the triage and lifecycle settings into the one settings table and drops the old tables', async () => {
    const { a: db, dispose } = await twoClientsOnEmptyDb();
    const source = new URL('../src/store/migrations/', import.meta.url).pathname;
    const before = mkdtempSync(path.join(tmpdir(), 'replyby-mig-'));
    try {
      for (const f of readdirSync(source).filter((x) => x.endsWith('.sql') && x < '0014')) copyFileSync(path.join(source, f), path.join(before, f));
      await migrate(db, before);
      await db.query("UPDATE triage_settings SET value = '0.65' WHERE key = 'classifier_threshold'");
      await db.query(`INSERT INTO lifecycle_settings (key, value) VALUES ('archive_after_days', '45'), ('notices', '{"work_started": false, "waiting_on_you": true, "promise_about_to_pass": true, "closure_request": true}')`);
      expect((await migrate(db)).applied).toContain('0014_settings.sql');
      const rows = await db.query<{ section: string; value: unknown }>('SELECT section, value FROM settings ORDER BY section');
      expect(rows).toEqual([
        { section: 'lifecycle', value: { archive_after_days: 45, notices: { work_started: false, waiting_on_you: true, promise_about_to_pass: true, closure_request: true } } },
        { section: 'triage', value: { classifier_threshold: 0.65, repeat_window_days: 14 } },
      ]);
      // Read through the section schemas: what was never set reads as its default.
      expect(await loadLifecycleSettings(db)).toEqual({ ...LIFECYCLE_DEFAULTS, archive_after_days: 45, notices: { ...LIFECYCLE_DEFAULTS.notices, work_started: false } });
      expect(await loadSettings(db, TRIAGE_SETTINGS)).toEqual({ classifier_threshold: 0.65, repeat_window_days: 14, classifier_min_examples: 20 });
      const left = await db.query("SELECT table_name FROM information_schema.tables WHERE table_name IN ('triage_settings', 'lifecycle_settings') AND table_schema = current_schema()");
      expect(left).toEqual([]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await dispose();
    }
  });
});
