import type { BusinessCalendar } from '../../core/calendar/index.ts';
import type { Queryable } from '../../store/db.ts';
import { listCalendars, listPolicies, type CalendarRow, type PolicyRow } from '../../store/repos/sla-repo.ts';
import { compiledCalendar } from './calendar-cache.ts';

export type SlaConfig = {
  version: string;
  policies: readonly PolicyRow[];
  calendars: ReadonlyMap<string, { row: CalendarRow; compiled: BusinessCalendar }>;
};

// Policies and calendars change rarely and are read on every ticket change. sla_config.version is
// bumped by a trigger on every write to either table, so one tiny query tells whether the cached
// copy is current — exact across processes, unlike a time-based expiry.
const cache = new WeakMap<object, SlaConfig>();

export async function loadSlaConfig(q: Queryable): Promise<SlaConfig> {
  const [row] = await q.query<{ version: string }>('SELECT version::text AS version FROM sla_config WHERE id = 1');
  const version = row?.version ?? '0';
  const cached = cache.get(q.cacheScope);
  if (cached && cached.version === version) return cached;
  const [policies, calendarRows] = await Promise.all([listPolicies(q), listCalendars(q)]);
  const calendars = new Map(calendarRows.map((c) => [c.id, { row: c, compiled: compiledCalendar(c) }]));
  const config: SlaConfig = { version, policies, calendars };
  cache.set(q.cacheScope, config);
  return config;
}
