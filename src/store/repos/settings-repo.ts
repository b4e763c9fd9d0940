import type { Queryable } from '../db.ts';

// The `settings` table: one row per section, its value a JSON object (src/app/settings gives each section
// its schema and defaults). Plain reads and a locked read-modify-write; nothing here knows a section.

export async function readSettingsSection(q: Queryable, section: string): Promise<unknown> {
  const [row] = await q.query<{ value: unknown }>('SELECT value FROM settings WHERE section = $1', [section]);
  return row?.value;
}

/** The section's row locked for the caller's transaction (created empty first), so concurrent edits cannot lose each other. */
export async function lockSettingsSection(q: Queryable, section: string): Promise<unknown> {
  await q.query("INSERT INTO settings (section, value) VALUES ($1, '{}') ON CONFLICT (section) DO NOTHING", [section]);
  const [row] = await q.query<{ value: unknown }>('SELECT value FROM settings WHERE section = $1 FOR UPDATE', [section]);
  return row?.value;
}

export async function writeSettingsSection(q: Queryable, section: string, value: object): Promise<void> {
  await q.query('UPDATE settings SET value = $2 WHERE section = $1', [section, JSON.stringify(value)]);
}
