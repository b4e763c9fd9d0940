import { createHash } from 'node:crypto';
import type { Queryable } from '../../store/db.ts';

// The names an imported file uses for groups, agents, requesters and types, resolved to Replyby's records —
// found when they exist, created when they do not (specs/import-events.md): groups as groups, agents as
// inactive staff who cannot sign in, requesters as contacts (without an e-mail when the source has none),
// types as ticket-type list entries. A dry run only finds, and counts what it would create.

export type Requester = { id: string; organization_id: string | null; tier: string | null };
export type ResolvedNames = {
  groups: Map<string, string>;
  agents: Map<string, string>;
  requesters: Map<string, Requester>;
  types: Map<string, string>;
  created: { groups: number; agents: number; requesters: number; types: number };
};
export type WantedNames = { groups: Set<string>; agents: Set<string>; requesters: Set<string>; types: Set<string> };

/** An agent with no password hash that any scheme accepts: verifyPassword refuses it, and the user is inactive too. */
const NO_SIGN_IN = 'imported:no-sign-in';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const UNKNOWN_REQUESTER = '(unknown requester)';
const DRY_RUN_ID = '00000000-0000-0000-0000-000000000000';

/** A stable, undeliverable address (RFC 2606 `.invalid`) for an imported agent the source names only by name. */
const agentEmail = (source: string, name: string): string =>
  `imported-${createHash('sha256').update(`${source}\u0000${name}`).digest('hex').slice(0, 20)}@import.invalid`;

/** A ticket-type key for a label: snake_case, starting with a letter, at most 40 characters. */
export function typeKey(label: string): string {
  const base = label.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const key = /^[a-z]/.test(base) ? base : `t_${base || createHash('sha256').update(label).digest('hex').slice(0, 8)}`;
  return key.slice(0, 40).replace(/_+$/, '');
}

export async function resolveNames(q: Queryable, source: string, wanted: WantedNames, create: boolean, now: Date): Promise<ResolvedNames> {
  const created = { groups: 0, agents: 0, requesters: 0, types: 0 };

  const groups = new Map<string, string>();
  const groupNames = [...wanted.groups];
  if (groupNames.length) {
    for (const g of await q.query<{ id: string; name: string }>('SELECT id, name FROM groups WHERE name = ANY($1::text[])', [groupNames])) groups.set(g.name, g.id);
    const missing = groupNames.filter((n) => !groups.has(n));
    created.groups = missing.length;
    if (create && missing.length) {
      await q.query('INSERT INTO groups (name, description, created_at) SELECT n, $2, $3 FROM unnest($1::text[]) n ON CONFLICT (name) DO NOTHING', [missing, `Imported from ${source}`, now]);
      for (const g of await q.query<{ id: string; name: string }>('SELECT id, name FROM groups WHERE name = ANY($1::text[])', [missing])) groups.set(g.name, g.id);
    }
  }

  const agents = new Map<string, string>();
  const agentNames = [...wanted.agents];
  if (agentNames.length) {
    const byEmail = agentNames.filter((n) => EMAIL.test(n)).map((n) => n.toLowerCase());
    // An existing user by e-mail, or by name (an active one first); else the one an earlier import created.
    const rows = await q.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, name FROM users WHERE email = ANY($1::text[]) OR name = ANY($2::text[]) OR email = ANY($3::text[]) ORDER BY active DESC, created_at`,
      [byEmail, agentNames, agentNames.map((n) => agentEmail(source, n))]);
    for (const n of agentNames) {
      const hit = rows.find((r) => r.email === n.toLowerCase()) ?? rows.find((r) => r.name === n) ?? rows.find((r) => r.email === agentEmail(source, n));
      if (hit) agents.set(n, hit.id);
    }
    const missing = agentNames.filter((n) => !agents.has(n));
    created.agents = missing.length;
    if (create && missing.length) {
      const emails = missing.map((n) => (EMAIL.test(n) ? n.toLowerCase() : agentEmail(source, n)));
      await q.query(
        `INSERT INTO users (email, name, role, password_hash, active, created_at, updated_at)
         SELECT e, n, 'agent', $3, false, $4, $4 FROM unnest($1::text[], $2::text[]) AS x(e, n) ON CONFLICT (email) DO NOTHING`,
        [emails, missing, NO_SIGN_IN, now]);
      const made = await q.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = ANY($1::text[])', [emails]);
      missing.forEach((n, i) => {
        const id = made.find((r) => r.email === emails[i])?.id;
        if (id) agents.set(n, id);
      });
    }
  }

  const requesters = new Map<string, Requester>();
  const requesterNames = [...wanted.requesters];
  if (requesterNames.length) {
    const emails = requesterNames.filter((n) => EMAIL.test(n)).map((n) => n.toLowerCase());
    const names = requesterNames.filter((n) => !EMAIL.test(n));
    const select = `SELECT c.id, c.email, c.name, c.organization_id, o.tier FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id`;
    const found = async () => {
      const rows = await q.query<{ id: string; email: string | null; name: string; organization_id: string | null; tier: string | null }>(
        `${select} WHERE c.email = ANY($1::text[]) OR (c.email IS NULL AND c.name = ANY($2::text[])) ORDER BY c.created_at`, [emails, names]);
      for (const n of requesterNames) {
        if (requesters.has(n)) continue;
        const hit = EMAIL.test(n) ? rows.find((r) => r.email === n.toLowerCase()) : rows.find((r) => r.email === null && r.name === n);
        if (hit) requesters.set(n, { id: hit.id, organization_id: hit.organization_id, tier: hit.tier });
      }
    };
    await found();
    const missing = requesterNames.filter((n) => !requesters.has(n));
    created.requesters = missing.length;
    if (create && missing.length) {
      const withEmail = missing.filter((n) => EMAIL.test(n));
      const without = missing.filter((n) => !EMAIL.test(n));
      // Like intake, a new address joins the organization whose domains include its domain.
      if (withEmail.length) {
        await q.query(
          `INSERT INTO contacts (email, name, organization_id, created_at, updated_at)
           SELECT lower(e), split_part(e, '@', 1),
             (SELECT id FROM organizations WHERE lower(split_part(e, '@', 2)) = ANY(domains) ORDER BY created_at LIMIT 1), $2, $2
           FROM unnest($1::text[]) e ON CONFLICT (email) DO NOTHING`, [withEmail, now]);
      }
      if (without.length) await q.query('INSERT INTO contacts (email, name, created_at, updated_at) SELECT NULL, n, $2, $2 FROM unnest($1::text[]) n', [without, now]);
      await found();
    }
  }

  const types = new Map<string, string>();
  const typeNames = [...wanted.types];
  if (typeNames.length) {
    const entries = await q.query<{ key: string; label: string }>("SELECT key, label FROM list_entries WHERE list = 'ticket_type'");
    const keys = new Set(entries.map((e) => e.key));
    const toCreate: { key: string; label: string }[] = [];
    for (const n of typeNames) {
      const hit = entries.find((e) => e.key === n) ?? entries.find((e) => e.label.toLowerCase() === n.toLowerCase());
      if (hit) { types.set(n, hit.key); continue; }
      let key = typeKey(n);
      for (let i = 2; keys.has(key); i++) key = `${typeKey(n).slice(0, 36)}_${i}`;
      keys.add(key);
      toCreate.push({ key, label: n });
      types.set(n, key);
    }
    created.types = toCreate.length;
    if (create && toCreate.length) {
      await q.query(
        `INSERT INTO list_entries (list, key, label, position, customer_selectable)
         SELECT 'ticket_type', x.key, x.label, (SELECT COALESCE(max(position), 0) FROM list_entries WHERE list = 'ticket_type') + x.n, false
         FROM jsonb_to_recordset($1::jsonb) AS x(key text, label text, n int) ON CONFLICT (list, key) DO NOTHING`,
        [JSON.stringify(toCreate.map((t, n) => ({ ...t, n: n + 1 })))]);
    }
  }
  if (!create) {
    // A dry run plans every ticket as the real run would; what does not exist yet gets a stand-in id.
    for (const n of wanted.groups) if (!groups.has(n)) groups.set(n, DRY_RUN_ID);
    for (const n of wanted.agents) if (!agents.has(n)) agents.set(n, DRY_RUN_ID);
    for (const n of wanted.requesters) if (!requesters.has(n)) requesters.set(n, { id: DRY_RUN_ID, organization_id: null, tier: null });
  }
  return { groups, agents, requesters, types, created };
}
