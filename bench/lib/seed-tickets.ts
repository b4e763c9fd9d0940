// The scale seed the workspace benches share: $1 tickets of the default (Support) group for the demo's first five
// requesters, 80 % unsolved, due over the following days (spread so the queue's index decides the order). One
// INSERT … SELECT generate_series, not the API: the benches measure reading, not intake.
export const SEED_TICKETS_SQL = `
  INSERT INTO tickets (subject, type, priority, status, stage, channel, requester_id, group_id, tags, created_at, updated_at, sla_next_due_at)
  SELECT 'Seeded ticket ' || g, 'technical_question', (ARRAY['low','normal','high','urgent'])[1 + g % 4],
         (ARRAY['new','open','pending','open','solved'])[1 + g % 5], 'received', 'email',
         (SELECT id FROM contacts ORDER BY email OFFSET (g % 5) LIMIT 1),
         (SELECT id FROM groups WHERE is_default LIMIT 1), '{}',
         now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval,
         now() + interval '2 days' + (g || ' seconds')::interval
    FROM generate_series(1, $1::int) g`;
