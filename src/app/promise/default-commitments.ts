import type { Principal } from '../../core/auth/principal.ts';
import type { PolicyCondition } from '../../core/policies/policy-model.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';
import { createPolicy, policyInput } from '../sla/manage-policies.ts';

const HOUR = 60;

type Metric = Record<string, unknown>;
type StartingPolicy = { name: string; match?: 'all' | 'any'; conditions: PolicyCondition[]; metrics: Metric[]; business?: boolean };

// What the customer is promised is the first response, counted in WALL-CLOCK time ("24 hours" is 24
// hours). Resolution and the stage deadlines count business time where the policy has a calendar.
function metrics(firstResponseHours: number, opts: { aroundTheClock?: boolean } = {}): Metric[] {
  const workClock = opts.aroundTheClock ? 'calendar' : 'business';
  return [
    { name: 'first_response', target_minutes: firstResponseHours * HOUR, clock: 'calendar', warn_at_percent: [75], warn_at_minutes_left: [15] },
    { name: 'next_response', target_minutes: Math.max(HOUR, (firstResponseHours * HOUR) / 2), clock: 'calendar' },
    { name: 'resolution', target_minutes: firstResponseHours * HOUR * 4, clock: workClock, pause_statuses: ['pending', 'on_hold'] },
    // A stage deadline (issue 11): a new ticket is triaged (opened, answered or set aside) in time.
    // A "confirmation" stage cannot be a metric: solved pauses every metric but resolution (contract).
    { name: 'stage_triage', target_minutes: Math.min(firstResponseHours * HOUR, 4 * HOUR), clock: workClock, start_on: ['created'], stop_on: ['status:open', 'status:pending', 'status:solved', 'status:closed', 'agent_message'] },
  ];
}

const TOP_TIERS = ['vip', 'enterprise'];

/**
 * The starting commitments, first match wins: critical urgency (1 h around the clock for top tiers,
 * 2 h otherwise), staff-set urgent requests, then by request type — technical 24 h, complaint 24 h,
 * information 48 h, quote / custom work 48 h, suggestion 72 h.
 */
export const STARTING_POLICIES: readonly StartingPolicy[] = [
  { name: 'Critical, top tiers (around the clock)', conditions: [{ field: 'urgency', op: 'in', values: ['critical'] }, { field: 'tier', op: 'in', values: TOP_TIERS }], metrics: metrics(1, { aroundTheClock: true }) },
  { name: 'Critical', conditions: [{ field: 'urgency', op: 'in', values: ['critical'] }], metrics: metrics(2) },
  { name: 'Urgent requests (set by staff)', conditions: [{ field: 'type', op: 'in', values: ['urgent'] }], metrics: metrics(2) },
  { name: 'Technical questions and complaints', conditions: [{ field: 'type', op: 'in', values: ['technical_question', 'complaint'] }], metrics: metrics(24) },
  { name: 'Information requests', conditions: [{ field: 'type', op: 'in', values: ['information_request'] }], metrics: metrics(48) },
  { name: 'Quotes and custom work', conditions: [{ field: 'type', op: 'in', values: ['quote', 'custom_work'] }], metrics: metrics(48) },
  { name: 'Suggestions', conditions: [{ field: 'type', op: 'in', values: ['suggestion'] }], metrics: metrics(72) },
];

/** Creates the starting policies through the ordinary use case (so they are validated like an admin's). */
export async function createStartingPolicies(ctx: AppContext, actor: Principal, calendarId: string | null): Promise<number> {
  for (const p of STARTING_POLICIES) {
    await createPolicy(ctx, actor, { name: p.name, match: p.match ?? 'all', conditions: p.conditions, calendar_id: calendarId, metrics: p.metrics });
  }
  return STARTING_POLICIES.length;
}

/**
 * A fresh install (no policies at all) starts with the commitments above, on 24/7 time until an
 * admin adds a calendar. Runs at start-up; an install whose admin deleted every policy on purpose
 * is recognised by its users and left alone.
 */
export async function installStartingPolicies(ctx: AppContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const [state] = await tx.query<{ policies: number; users: number }>('SELECT (SELECT count(*)::int FROM sla_policies) AS policies, (SELECT count(*)::int FROM users) AS users');
    if (!state || state.policies > 0 || state.users > 0) return 0;
    const now = ctx.now();
    for (const [i, p] of STARTING_POLICIES.entries()) {
      const input = parseInput(policyInput, { name: p.name, match: p.match ?? 'all', conditions: p.conditions, metrics: p.metrics });
      await tx.query(
        `INSERT INTO sla_policies (name, position, active, match, conditions, calendar_id, pause_statuses, metrics, created_at, updated_at)
         VALUES ($1, $2, true, $3, $4, NULL, $5, $6, $7, $7) ON CONFLICT (name) DO NOTHING`,
        [input.name, i + 1, input.match, JSON.stringify(input.conditions), input.pause_statuses, JSON.stringify(input.metrics), now]);
    }
    return STARTING_POLICIES.length;
  });
}
