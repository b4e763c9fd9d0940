import { compileCalendar, type BusinessCalendar } from '../../core/calendar/index.ts';
import type { CalendarRow } from '../../store/repos/sla-repo.ts';

// Compiling a calendar (holiday sets, interval tables) is the expensive part; a calendar row's
// updated_at changes on every edit, so (id, updated_at) is a safe cache key.
const cache = new Map<string, BusinessCalendar>();
const ALWAYS_OPEN = compileCalendar(null);

export function compiledCalendar(row: CalendarRow | null): BusinessCalendar {
  if (!row) return ALWAYS_OPEN;
  const key = `${row.id}@${row.updated_at.getTime()}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileCalendar(row.spec);
    if (cache.size > 500) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}
