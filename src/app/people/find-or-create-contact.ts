import type { Queryable } from '../../store/db.ts';

/**
 * A contact with its organization's tier. The tier selects a new ticket's SLA policy, so it is read
 * under the key-share lock the ticket's foreign key takes anyway: a tier change in flight is either
 * waited for and seen here, or waits for the new ticket's transaction and then recomputes it.
 */
export const CONTACT_WITH_TIER = `SELECT c.id, c.email, c.organization_id, o.tier FROM contacts c
  LEFT JOIN LATERAL (SELECT tier FROM organizations WHERE id = c.organization_id FOR KEY SHARE) o ON true`;

export type ContactWithTier = { id: string; email: string; organization_id: string | null; tier: string | null };

/**
 * The requester of an inbound request: found by e-mail or created, and linked to the
 * organization whose e-mail domains include the address's domain (Zendesk's "mapped domains").
 */
export async function findOrCreateContact(
  q: Queryable,
  input: { email: string; name?: string | undefined; language?: string | undefined; timeZone?: string | undefined },
  now: Date,
): Promise<ContactWithTier & { created: boolean }> {
  const email = input.email.toLowerCase();
  const [existing] = await q.query<ContactWithTier>(`${CONTACT_WITH_TIER} WHERE c.email = $1`, [email]);
  if (existing) return { ...existing, created: false };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const name = input.name?.trim() || email.slice(0, email.indexOf('@'));
  // The organization by mapped domain and the insert in one statement (one round trip for a new requester).
  // ON CONFLICT: two requests from a new address at once must both land on one contact.
  const [row] = await q.query<{ id: string; organization_id: string | null; inserted: boolean; org_id: string | null; org_tier: string | null }>(
    `WITH org AS (SELECT id, tier FROM organizations WHERE $6 = ANY(domains) ORDER BY created_at LIMIT 1 FOR KEY SHARE),
     ins AS (
       INSERT INTO contacts (email, name, language, time_zone, organization_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, (SELECT id FROM org), $5, $5)
       ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
       RETURNING id, organization_id, (xmax = 0) AS inserted)
     SELECT ins.id, ins.organization_id, ins.inserted, org.id AS org_id, org.tier AS org_tier FROM ins LEFT JOIN org ON true`,
    [email, name, input.language ?? 'en', input.timeZone ?? 'UTC', now, domain],
  );
  if (!row) throw new Error('contact upsert returned no row');
  if (row.organization_id === row.org_id) return { id: row.id, email, organization_id: row.organization_id, tier: row.org_tier, created: row.inserted };
  // A concurrent insert of the same address won with another organization: read that one's tier.
  const [winner] = await q.query<ContactWithTier>(`${CONTACT_WITH_TIER} WHERE c.id = $1`, [row.id]);
  return { id: row.id, email, organization_id: row.organization_id, tier: winner?.tier ?? null, created: row.inserted };
}
