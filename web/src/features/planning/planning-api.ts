import { call, client } from '../../lib/api.ts';

// The Planning and Roster screens' calls (docs/planning.md). The server documents request shapes only; the
// answers' shapes are these types (src/app/planning/build-plan.ts, manage-rosters.ts).

export type PlanRow = { start: string; arrivals: number; required: number; rostered: number; gap: number; kept: number | null };
export type PlanDeadline = { source: 'policy' | 'parameter' | 'default'; minutes: number; clock: 'business' | 'calendar'; policy_id: string | null; calendar_id: string | null };
export type PlanChannel = { channel: string; model: 'erlang' | 'workload'; forecast_model: string; backtest_error_pct: number | null; deadline: PlanDeadline | null };
export type Plan = {
  group_id: string; zone: string; interval_minutes: number; from: string; to: string;
  handling: { seconds: number; source: 'booked' | 'observed' | 'assignment' | 'default' };
  channels: PlanChannel[]; holidays_calendar_id: string | null; rostered_agents: number; unrostered_agents: number; intervals: PlanRow[];
};

export const PLAN_CHANNELS = ['email', 'web_form', 'api', 'portal', 'widget', 'phone'] as const;
export type PlanChannelName = (typeof PLAN_CHANNELS)[number];
export type PlanQuery = { group: string; zone: string; week_start?: string; channel?: PlanChannelName };

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const EXCEPTION_KINDS = ['leave', 'sickness', 'swap', 'extra'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
export type Shift = { start: string; end: string };
export type RosterException = { date: string; kind: ExceptionKind; shifts: Shift[]; note?: string };
export type Roster = { zone: string; country?: string; weekly: Partial<Record<Weekday, Shift[]>>; exceptions: RosterException[]; on_call: Shift[] };
export type RosterView = { user_id: string; name: string; email: string; roster: Roster | null; updated_at: string | null };
export type ImportResult = { imported: { user_id: string; email: string }[] };

const planParams = (q: PlanQuery) => ({ group: q.group, zone: q.zone, interval: 60 as const, ...(q.week_start ? { week_start: q.week_start } : {}), ...(q.channel ? { channel: q.channel } : {}) });

export const planningApi = {
  plan: (q: PlanQuery) => call<Plan>(client.GET('/api/v1/planning/plan', { params: { query: planParams(q) } })),
  /** The same plan as a CSV download (the browser sends the session cookie). */
  csvHref: (q: PlanQuery) => `/api/v1/planning/plan?${new URLSearchParams({ ...Object.fromEntries(Object.entries(planParams(q)).map(([k, v]) => [k, String(v)])), format: 'csv' })}`,
  rosters: () => call<RosterView[]>(client.GET('/api/v1/planning/rosters')),
  putRoster: (userId: string, roster: Roster) => call<RosterView>(client.PUT('/api/v1/planning/rosters/{user_id}', { params: { path: { user_id: userId } }, body: roster })),
  deleteRoster: (userId: string) => call<unknown>(client.DELETE('/api/v1/planning/rosters/{user_id}', { params: { path: { user_id: userId } } })),
  importRosters: (body: { format: 'csv'; text: string } | { format: 'ical'; text: string; user_id: string; zone?: string }) =>
    call<ImportResult>(client.POST('/api/v1/planning/rosters/import', { body })),
};
