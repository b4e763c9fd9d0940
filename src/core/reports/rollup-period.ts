import { DateTime } from 'luxon';

// How a report's period meets the KPI rollup's UTC hours (app/reports/kpi-rollup.ts). Hours are the rollup's grain
// because they are the largest unit every viewer's period is made of: a local midnight is a UTC hour boundary in
// every zone whose offset is whole hours, DST changes included (they move the offset by an hour), so a period of
// local days — 23 or 25 hours on a DST day — is whole UTC hours; a UTC day bucket would cut a Berlin day in two.

const HOUR_MS = 3_600_000;

/**
 * [from, to) as whole UTC hours [hourFrom, hourTo), read from the rollup, and the partial hours at its edges
 * (`edges`: [from, to) pairs), read from the base tables. A period within one hour has no rollup part.
 */
export function splitPeriod(from: Date, to: Date): { hourFrom: Date; hourTo: Date; edges: [Date, Date][] } {
  const hourFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const hourTo = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  if (hourFrom >= hourTo) return { hourFrom: from, hourTo: from, edges: from < to ? [[from, to]] : [] };
  const edges: [Date, Date][] = [];
  if (from < hourFrom) edges.push([from, hourFrom]);
  if (hourTo < to) edges.push([hourTo, to]);
  return { hourFrom, hourTo, edges };
}

const DAY_MS = 86_400_000;

/**
 * [from, to) for the rollup's two levels: whole UTC days [dayFrom, dayTo) from the day level (empty when the period
 * holds no whole day: dayFrom = dayTo), the whole hours around them (`hours`, at most two ranges) from the hourly
 * rows, and the partial hours at the edges (`edges`) from the base tables. Each instant of [from, to) is in exactly
 * one of them.
 */
export function splitDays(from: Date, to: Date): { dayFrom: Date; dayTo: Date; hours: [Date, Date][]; edges: [Date, Date][] } {
  const { hourFrom, hourTo, edges } = splitPeriod(from, to);
  const dayFrom = new Date(Math.ceil(hourFrom.getTime() / DAY_MS) * DAY_MS);
  const dayTo = new Date(Math.floor(hourTo.getTime() / DAY_MS) * DAY_MS);
  if (dayFrom >= dayTo) return { dayFrom, dayTo: dayFrom, hours: hourFrom < hourTo ? [[hourFrom, hourTo]] : [], edges };
  const hours: [Date, Date][] = [];
  if (hourFrom < dayFrom) hours.push([hourFrom, dayFrom]);
  if (dayTo < hourTo) hours.push([dayTo, hourTo]);
  return { dayFrom, dayTo, hours, edges };
}

const WEEK_MS = 7 * DAY_MS;

/**
 * Whether each UTC hour of [from, to) is one local hour of `zone`: its offset is whole hours throughout (sampled at
 * both ends and weekly between; offsets change at most twice a year). Not so in India (+05:30), Nepal, Newfoundland,
 * central Australia or Lord Howe (+10:30 in winter): there an hourly heatmap cell must come from the base tables.
 */
export function hoursAreLocalHours(zone: string, from: Date, to: Date): boolean {
  const whole = (ms: number) => DateTime.fromMillis(ms, { zone }).offset % 60 === 0;
  if (!whole(from.getTime()) || !whole(to.getTime())) return false;
  const step = Math.max(WEEK_MS, (to.getTime() - from.getTime()) / 1000);
  for (let ms = from.getTime() + step; ms < to.getTime(); ms += step) if (!whole(ms)) return false;
  return true;
}
