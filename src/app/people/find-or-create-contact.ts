import type { Queryable } from '../../store/db.ts';

/**
 * The requester of an inbound request: found by e-mail or created, and linked to the
 * organization whose e-mail domains include the address's domain (Zendesk's "mapped domains").
 */
export async function findOrCreateContact(
  q: Queryable,
  input: { email: string; name?: string | undefined; language?: string | undefined; timeZone?: string | undefined },
  now: Date,
): Promise<{ id: string; organization_id: string | null; created: boolean }> {
  const email = input.email.toLowerCase();
  const [existing] = await q.query<{ id: string; organization_id: string | null }>('SELECT id, organization_id FROM contacts WHERE email = $1', [email]);
  if (existing) return { ...existing, created: false };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const [org] = await q.query<{ id: string }>('SELECT id FROM organizations WHERE $1 = ANY(domains) ORDER BY created_at LIMIT 1', [domain]);
  const name = input.name?.trim() || email.slice(0, email.indexOf('@'));
  // ON CONFLICT: two requests from a new address at once must both land on one contact.
  const [row] = await q.query<{ id: string; organization_id: string | null; inserted: boolean }>(
    `INSERT INTO contacts (email, name, language, time_zone, organization_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
     RETURNING id, organization_id, (xmax = 0) AS inserted`,
    [email, name, input.language ?? 'en', input.timeZone ?? 'UTC', org?.id ?? null, now],
  );
  if (!row) throw new Error('contact upsert returned no row');
  // A concurrent insert of the same address may have won with another organization: its row is the truth.
  return { id: row.id, organization_id: row.organization_id, created: row.inserted };
}
