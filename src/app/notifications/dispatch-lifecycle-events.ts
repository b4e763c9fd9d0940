import { randomUUID } from 'node:crypto';
import { advanceCursor, LIFECYCLE_EVENTS, lifecycleEventOf, type Gap } from '../../core/integrations/lifecycle-events.ts';
import type { AppContext } from '../context.ts';

/** How long a missing seq is waited for before it is taken for a rolled-back transaction's. */
export const GAP_WAIT_MS = 120_000;
const BATCH = 500;

type EventRow = {
  seq: string; ticket_id: string; kind: string; actor_kind: string; actor_id: string | null; before: unknown; after: unknown; created_at: Date;
  number: number; subject: string; status: string; priority: string; imported: boolean;
};

/**
 * Lifecycle webhooks, derived from what is already written (intake does no extra work): the worker tails
 * `ticket_events` by seq from one stored cursor, maps each event to a lifecycle event, and enqueues one
 * delivery per subscribed webhook. The cursor row is locked FOR UPDATE SKIP LOCKED, so of several workers
 * one dispatches at a time; the unique key (webhook, event seq) makes a repeat impossible even so.
 * A seq can commit after a higher one (transactions finish out of order): the numbers skipped are kept
 * as gaps and read again until they appear or GAP_WAIT_MS passes. Imported history sends nothing.
 * Returns how many deliveries were enqueued.
 */
export async function dispatchLifecycleEvents(ctx: AppContext, batch = BATCH): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [cursor] = await tx.query<{ last_seq: string; gaps: Gap[] }>('SELECT last_seq, gaps FROM webhook_dispatch WHERE id = 1 FOR UPDATE SKIP LOCKED');
    if (!cursor) return 0;
    const hooks = await tx.query<{ id: string; events: string[]; since_seq: string }>(
      'SELECT id, events, since_seq FROM webhooks WHERE active AND events && $1::text[] ORDER BY id', [LIFECYCLE_EVENTS]);
    if (hooks.length === 0) {
      // Nobody listens: move past everything (a webhook added later starts at its own creation).
      await tx.query("UPDATE webhook_dispatch SET last_seq = GREATEST(last_seq, (SELECT COALESCE(max(seq), 0) FROM ticket_events)), gaps = '[]', updated_at = $1 WHERE id = 1", [now]);
      return 0;
    }
    const last = Number(cursor.last_seq);
    const events = await tx.query<EventRow>(
      // Two index range reads, as the KPI rollup's cursor: one condition `seq > $1 OR seq = ANY($2)` walks the seq
      // index from the first event ever written (every event of all time, seconds at 1 M tickets, each tick).
      `WITH picked AS (
         (SELECT seq FROM ticket_events WHERE seq > $1 ORDER BY seq LIMIT $3)
         UNION ALL SELECT seq FROM ticket_events WHERE seq = ANY($2::bigint[]) AND seq <= $1)
       SELECT e.seq::text AS seq, e.ticket_id, e.kind, e.actor_kind, e.actor_id, e.before, e.after, e.created_at,
              t.number, t.subject, t.status, t.priority, t.import_source IS NOT NULL AS imported
       FROM picked p JOIN ticket_events e ON e.seq = p.seq JOIN tickets t ON t.id = e.ticket_id
       ORDER BY e.seq LIMIT $3`,
      [last, cursor.gaps.map((g) => g.seq), batch]);
    const rows: Record<string, unknown>[] = [];
    for (const e of events) {
      const name = e.imported ? null : lifecycleEventOf(e);
      if (!name) continue;
      const seq = Number(e.seq);
      for (const hook of hooks) {
        if (seq <= Number(hook.since_seq) || !hook.events.includes(name)) continue;
        const id = randomUUID();
        const body = {
          id, event: name, created_at: e.created_at.toISOString(), ticket_id: e.ticket_id,
          ticket: { id: e.ticket_id, number: e.number, subject: e.subject, status: e.status, priority: e.priority },
          data: { event_seq: seq, kind: e.kind, actor: { kind: e.actor_kind, id: e.actor_id }, before: e.before, after: e.after },
        };
        rows.push({ id, webhook_id: hook.id, event: name, event_seq: seq, ticket_id: e.ticket_id, payload: body });
      }
    }
    let enqueued = 0;
    if (rows.length) {
      const [res] = await tx.query<{ n: number }>(
        `WITH d AS (
           INSERT INTO webhook_deliveries (id, webhook_id, event, event_seq, ticket_id, payload, created_at, updated_at)
           SELECT x.id, x.webhook_id, x.event, x.event_seq, x.ticket_id, x.payload, $2, $2
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, webhook_id uuid, event text, event_seq bigint, ticket_id uuid, payload jsonb)
           ON CONFLICT (webhook_id, event_seq) DO NOTHING
           RETURNING id, webhook_id, event_seq, payload),
         o AS (
           INSERT INTO outbox (kind, payload, created_at, run_at)
           SELECT 'webhook.deliver', jsonb_build_object('webhook_id', d.webhook_id, 'delivery_id', d.id, 'body', d.payload), $2, $2
           FROM d ORDER BY d.event_seq, d.webhook_id RETURNING 1)
         SELECT count(*)::int AS n FROM o`,
        [JSON.stringify(rows), now]);
      enqueued = res?.n ?? 0;
    }
    const next = advanceCursor(last, cursor.gaps, events.map((e) => Number(e.seq)), now.getTime(), GAP_WAIT_MS);
    await tx.query('UPDATE webhook_dispatch SET last_seq = $1, gaps = $2::jsonb, updated_at = $3 WHERE id = 1', [next.last, JSON.stringify(next.gaps), now]);
    return enqueued;
  });
}
