import type { SimulationResult } from '../../core/sla/index.ts';

// A ticket's clocks as computed by refresh-ticket-sla.ts and stored in tickets.sla_state. Its own file so
// that the monitor's schedule (app/monitor/sync-sla-clocks.ts), which refresh-ticket-sla calls, can name the
// type without importing refresh-ticket-sla back (that import circle is cut here).
export type MetricWarningState = { warning: boolean; next_warning_at: string | null; next_point?: number | null; passed_point?: number | null };
export type TicketSlaState = { policy_id: string; policy_name: string; result: SimulationResult; warnings: Record<string, MetricWarningState> };
