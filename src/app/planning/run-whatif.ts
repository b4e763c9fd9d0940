import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { CalendarError, calendarSpecSchema, compileCalendar, type BusinessCalendar } from '../../core/calendar/index.ts';
import { invalidInput } from '../../core/errors.ts';
import { ROUTING_ORDERS, runWhatIf, type HistoryTicket, type SimulatedOutcome, type Outcome, type Staffing, type WhatIfSettings } from '../../core/planning/index.ts';
import type { SlaPolicy } from '../../core/policies/policy-model.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../core/sla/index.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { policyInput } from '../sla/manage-policies.ts';
import { loadSlaConfig } from '../sla/sla-config.ts';

// POST /api/v1/planning/whatif (planning spec §6, docs/planning.md "What-if"): the tickets of a past period
// replayed through core/planning/whatif.ts under the settings in force (calibrated to what happened) and under
// the proposed changes. Reads only; one transaction so history, policies and head counts are one snapshot.

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** A week before `from` warms the queue up: Friday's backlog is Monday's first work. */
export const WARM_UP_MS = WEEK;
const MAX_SPAN_MS = 26 * WEEK;
const BATCH = 5_000;
/** Effort of a first reply when neither the ticket nor its group has booked time (docs/planning.md). */
export const DEFAULT_HANDLE_MINUTES = 15;

const headCount = z.union([
  z.number().int('must be a whole number of agents').min(0, 'must not be negative').max(10_000),
  z.strictObject({ add: z.number().int('must be a whole number of agents').min(-10_000).max(10_000) }),
]);

export const whatIfInput = z.strictObject({
  from: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }),
  groups: z.array(z.string().uuid('must be a UUID')).min(1).max(200).optional(),
  changes: z.strictObject({
    /** The whole proposed policy list, in order (replaces the policies in force). */
    policies: z.array(policyInput).max(200).optional(),
    /** Calendars by id: a changed calendar in force, or a new one a proposed policy names. */
    calendars: z.record(z.string().uuid('must be a UUID'), calendarSpecSchema).optional(),
    /** Per group: the head count whenever the group was staffed, or `{ add }` agents to each staffed hour. */
    agents_per_group: z.record(z.string().uuid('must be a UUID'), headCount).optional(),
    routing: z.enum(ROUTING_ORDERS).optional(),
  }).default({}),
})
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { message: 'must be after from', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= MAX_SPAN_MS, { message: 'the period may span at most 26 weeks', path: ['to'] });
export type WhatIfInput = z.infer<typeof whatIfInput>;

type OutcomeBody = Outcome | SimulatedOutcome;
export type WhatIfResult = {
  from: string;
  to: string;
  tickets: number;
  routing: { in_force: string; proposed: string };
  groups: { group_id: string | null; group_name: string | null; efficiency: number; observed: OutcomeBody; replay: OutcomeBody; predicted: OutcomeBody }[];
};

type HistoryRow = {
  id: string; created_at: Date; group_id: string | null; channel: string; type: string; priority: string; organization_id: string | null;
  tier: string | null; tags: string[]; urgency: string; first_responded_at: Date | null; promised_at: Date | null;
  fr_breached: boolean | null; booked_minutes: number | null; created_status: string | null; changes: { at: string; status: string }[] | null;
};

const isStatus = (s: unknown): s is TicketStatus => typeof s === 'string' && (TICKET_STATUSES as readonly string[]).includes(s);

// Keyset pages by (created_at, id): the history of half a year is read 5,000 tickets at a time.
const HISTORY_SQL = `
SELECT t.id, t.created_at, t.group_id, t.channel, t.type, t.priority, t.organization_id, o.tier, t.tags, t.urgency, t.first_responded_at,
       COALESCE(t.original_promised_reply_at, t.promised_reply_at) AS promised_at,
       (SELECT c.breached_at IS NOT NULL FROM sla_clocks c WHERE c.ticket_id = t.id AND c.metric = 'first_response'
           AND (c.breached_at IS NOT NULL OR c.status = 'completed')) AS fr_breached,
       (SELECT sum(e.minutes)::int FROM time_entries e WHERE e.ticket_id = t.id) AS booked_minutes,
       (SELECT e.after->>'status' FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created' ORDER BY e.seq LIMIT 1) AS created_status,
       (SELECT json_agg(json_build_object('at', e.created_at, 'status', e.after->>'status') ORDER BY e.seq) FROM ticket_events e
         WHERE e.ticket_id = t.id AND e.kind = 'status_changed' AND e.created_at < COALESCE(t.first_responded_at, $3)) AS changes
  FROM tickets t LEFT JOIN organizations o ON o.id = t.organization_id
 WHERE t.created_at >= $1 AND t.created_at < $2 AND t.merged_into_id IS NULL
   AND ($4::uuid[] IS NULL OR t.group_id = ANY($4))
   AND (t.created_at, t.id) > ($5::timestamptz, $6::uuid)
 ORDER BY t.created_at, t.id
 LIMIT ${BATCH}`;

export async function loadHistory(q: Queryable, fromMs: number, toMs: number, groups: readonly string[] | null): Promise<HistoryTicket[]> {
  const out: HistoryTicket[] = [];
  const missing: number[] = [];
  const booked = new Map<string, { minutes: number; n: number }>();
  let after: [Date, string] = [new Date(0), '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const rows = await q.query<HistoryRow>(HISTORY_SQL, [new Date(fromMs), new Date(toMs), new Date(toMs + 2 * WEEK), groups, after[0], after[1]]);
    for (const r of rows) {
      const group = r.group_id ?? '';
      if (r.booked_minutes !== null) {
        const b = booked.get(group) ?? { minutes: 0, n: 0 };
        b.minutes += r.booked_minutes; b.n += 1;
        booked.set(group, b);
      } else missing.push(out.length);
      out.push({
        arrivalMs: r.created_at.getTime(), group,
        subject: { type: r.type, priority: r.priority, tier: r.tier, organization_id: r.organization_id, channel: r.channel, group_id: r.group_id, tags: r.tags, urgency: r.urgency },
        createdStatus: isStatus(r.created_status) ? r.created_status : 'new',
        statusChanges: (r.changes ?? []).flatMap((c) => (isStatus(c.status) ? [{ at: Date.parse(c.at), status: c.status }] : [])),
        handleMs: (r.booked_minutes ?? 0) * 60_000,
        observed: { firstReplyAt: r.first_responded_at?.getTime() ?? null, breached: r.fr_breached, promisedAt: r.promised_at?.getTime() ?? null },
      });
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < BATCH) break;
    after = [last.created_at, last.id];
  }
  // Without booked time, a ticket's effort is its group's mean booked time, else the documented default.
  for (const i of missing) {
    const h = out[i] as HistoryTicket;
    const b = booked.get(h.group);
    out[i] = { ...h, handleMs: (b && b.n > 0 ? b.minutes / b.n : DEFAULT_HANDLE_MINUTES) * 60_000 };
  }
  return out;
}

/**
 * The head count in force: the agents who replied publicly in the group's tickets in each hour (there is no
 * roster on record for the past). After `toMs` the period's last week repeats, so the queue can drain.
 */
export async function observedStaffing(q: Queryable, fromMs: number, toMs: number, groups: readonly string[] | null): Promise<Staffing> {
  const rows = await q.query<{ group_id: string | null; hour: string; agents: number }>(
    `SELECT t.group_id, floor(extract(epoch FROM m.created_at) / 3600)::bigint::text AS hour, count(DISTINCT m.author_id)::int AS agents
       FROM messages m JOIN tickets t ON t.id = m.ticket_id
      WHERE m.kind = 'public' AND m.author_kind = 'user' AND m.created_at >= $1 AND m.created_at < $2
        AND ($3::uuid[] IS NULL OR t.group_id = ANY($3))
      GROUP BY 1, 2`, [new Date(fromMs), new Date(toMs), groups]);
  const byHour = new Map<string, number>();
  for (const r of rows) byHour.set(`${r.group_id ?? ''}@${r.hour}`, r.agents);
  const agentsAt = (group: string, t: number) => {
    const inPeriod = t < toMs ? t : t - Math.ceil((t - toMs + 1) / WEEK) * WEEK;
    return byHour.get(`${group}@${Math.floor(inPeriod / HOUR)}`) ?? 0;
  };
  return { intervalMs: HOUR, agentsAt };
}

function proposedStaffing(inForce: Staffing, changes: WhatIfInput['changes']['agents_per_group']): Staffing {
  if (!changes) return inForce;
  return {
    intervalMs: inForce.intervalMs,
    agentsAt: (group, t) => {
      const observed = inForce.agentsAt(group, t);
      const change = changes[group];
      // A change keeps the group's hours: nobody is added to an hour nobody worked.
      if (change === undefined || observed === 0) return observed;
      return typeof change === 'number' ? change : Math.max(0, observed + change.add);
    },
  };
}

function compileProposedCalendars(inForce: ReadonlyMap<string, BusinessCalendar>, specs: WhatIfInput['changes']['calendars']): Map<string, BusinessCalendar> {
  const out = new Map(inForce);
  for (const [id, spec] of Object.entries(specs ?? {})) {
    try {
      out.set(id, compileCalendar(spec));
    } catch (error) {
      if (error instanceof CalendarError) throw invalidInput(`changes.calendars.${id}${error.path ? `.${error.path}` : ''}`, error.message.slice(error.path.length + 2));
      throw error;
    }
  }
  return out;
}

function proposedPolicies(inForce: readonly SlaPolicy[], proposed: WhatIfInput['changes']['policies'], calendars: ReadonlyMap<string, BusinessCalendar>): readonly SlaPolicy[] {
  if (!proposed) return inForce;
  return proposed.map((p, i) => {
    if (p.calendar_id && !calendars.has(p.calendar_id)) throw invalidInput(`changes.policies[${i}].calendar_id`, 'no such calendar (give it in changes.calendars)');
    return { ...p, id: `proposed-${i + 1}`, position: i + 1 };
  });
}

/** Replays [from, to) under the settings in force and under `changes`; per group, beside what happened. */
export async function runWhatIfFor(ctx: AppContext, actor: Principal, raw: unknown): Promise<WhatIfResult> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(whatIfInput, raw);
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  const groups = input.groups ?? null;
  return ctx.db.transaction(async (tx) => {
    const config = await loadSlaConfig(tx);
    const calendars = new Map([...config.calendars].map(([id, c]) => [id, c.compiled]));
    const proposedCalendars = compileProposedCalendars(calendars, input.changes.calendars);
    const staffing = await observedStaffing(tx, fromMs - WARM_UP_MS, toMs, groups);
    const inForce: WhatIfSettings = { policies: config.policies, calendars, staffing, routing: 'earliest_due' };
    const proposed: WhatIfSettings = {
      policies: proposedPolicies(config.policies, input.changes.policies, proposedCalendars),
      calendars: proposedCalendars,
      staffing: proposedStaffing(staffing, input.changes.agents_per_group),
      routing: input.changes.routing ?? inForce.routing,
    };
    const history = await loadHistory(tx, fromMs - WARM_UP_MS, toMs, groups);
    const results = runWhatIf(history, inForce, proposed, { fromMs, toMs });
    const names = new Map((await tx.query<{ id: string; name: string }>('SELECT id, name FROM groups')).map((g) => [g.id, g.name]));
    return {
      from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(),
      tickets: results.reduce((n, r) => n + r.observed.tickets, 0),
      routing: { in_force: inForce.routing, proposed: proposed.routing },
      groups: results.map((r) => ({
        group_id: r.group || null, group_name: names.get(r.group) ?? null, efficiency: r.efficiency,
        observed: r.observed, replay: r.replay, predicted: r.predicted,
      })),
    };
  });
}
