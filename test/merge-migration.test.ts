import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

// Migration 0018 repairs what the old code wrote: messages an earlier merge moved get the ticket they were
// written on (from their message_added event), and archived tickets that archiving stamped "updated" at the
// archiving instant get back the instant of their last change before it.
describe('migration 0018', () => {
  it('backfills the origin of merged messages and restores updated_at of archived tickets', async () => {
    const db = await openDb({});
    const source = new URL('../src/store/migrations/', import.meta.url).pathname;
    const before = mkdtempSync(path.join(tmpdir(), 'replyby-mig-'));
    try {
      for (const f of readdirSync(source).filter((x) => x.endsWith('.sql') && x < '0018')) copyFileSync(path.join(source, f), path.join(before, f));
      await migrate(db, before);
      const one = async (sql: string, params: unknown[]) => {
        const [row] = await db.query<{ id: string }>(sql, params);
        if (!row) throw new Error(sql);
        return row.id;
      };
      const t0 = new Date('2025-01-01T10:00:00Z');
      const contact = (email: string) => one('INSERT INTO contacts (email, name, created_at, updated_at) VALUES ($1, $1, $2, $2) RETURNING id', [email, t0]);
      const ticket = (requester: string, status: string) => one(
        `INSERT INTO tickets (subject, type, priority, status, stage, channel, tags, requester_id, created_at, updated_at)
         VALUES ('s', 'technical_question', 'normal', $2, 'received', 'web', '{}', $1, $3, $3) RETURNING id`, [requester, status, t0]);
      const eve = await contact('eve@example.com');
      const ben = await contact('ben@example.com');
      const merged = await ticket(eve, 'closed');
      const survivor = await ticket(ben, 'open');
      // The old merge: Eve's message moved to the survivor, its event stayed on her ticket.
      const moved = await one("INSERT INTO messages (ticket_id, kind, author_kind, author_id, body_text, body_html, created_at) VALUES ($1, 'public', 'contact', $2, 'eve', 'eve', $3) RETURNING id", [survivor, eve, t0]);
      const own = await one("INSERT INTO messages (ticket_id, kind, author_kind, author_id, body_text, body_html, created_at) VALUES ($1, 'public', 'contact', $2, 'ben', 'ben', $3) RETURNING id", [survivor, ben, t0]);
      await db.query("INSERT INTO ticket_events (ticket_id, actor_kind, kind, after, created_at) VALUES ($1, 'contact', 'message_added', $2, $4), ($3, 'contact', 'message_added', $5, $4)",
        [merged, JSON.stringify({ message_id: moved }), survivor, t0, JSON.stringify({ message_id: own })]);
      await db.query('UPDATE tickets SET merged_into_id = $2 WHERE id = $1', [merged, survivor]);
      // An archived ticket stamped at the archiving instant; its last change was a status change on 2 January.
      const archived = await ticket(ben, 'closed');
      const lastChange = new Date('2025-01-02T09:00:00Z');
      const archivedAt = new Date('2025-02-05T00:00:00Z');
      await db.query("INSERT INTO ticket_events (ticket_id, actor_kind, kind, after, created_at) VALUES ($1, 'user', 'status_changed', '{}', $2), ($1, 'system', 'archived', '{}', $3)", [archived, lastChange, archivedAt]);
      await db.query('UPDATE tickets SET closed_at = $2, archived_at = $3, updated_at = $3 WHERE id = $1', [archived, lastChange, archivedAt]);

      expect((await migrate(db)).applied).toContain('0018_merge_origin.sql');
      const rows = await db.query<{ id: string; origin_ticket_id: string | null }>('SELECT id, origin_ticket_id FROM messages ORDER BY body_text');
      expect(rows).toEqual([{ id: own, origin_ticket_id: null }, { id: moved, origin_ticket_id: merged }]);
      const [t] = await db.query<{ updated_at: Date }>('SELECT updated_at FROM tickets WHERE id = $1', [archived]);
      expect(t?.updated_at.toISOString()).toBe(lastChange.toISOString());
    } finally {
      rmSync(before, { recursive: true, force: true });
      await db.close();
    }
  });
});
