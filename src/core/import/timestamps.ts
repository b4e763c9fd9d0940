import { DateTime, IANAZone } from 'luxon';

// Local timestamps of a source file → UTC instants, with the DST rules of the SLA engine: a wall time
// in a gap (clocks going forward) moves forward by the gap; a wall time that occurs twice (clocks going
// back) is its first occurrence unless the case's order says it must be the second (`later`).

export type ParsedInstant = { at: number; /** The second occurrence of an ambiguous wall time. */ later: number | null };

/** A format with an offset or zone token (Z, ZZ, ZZZ, z) names its own instant; the mapping's zone does not apply. */
const hasOffsetToken = (format: string): boolean => /[Zz]/.test(format.replace(/'[^']*'/g, ''));
const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** `value` read with the Luxon `format` (ISO-8601 or SQL-style when none) as wall time in `zone`; null when it is not a date. */
export function parseTimestamp(value: string, format: string | undefined, zone: string): ParsedInstant | null {
  const text = value.trim();
  if (format !== undefined) {
    const dt = DateTime.fromFormat(text, format, { zone: 'UTC', setZone: hasOffsetToken(format) });
    if (!dt.isValid) return null;
    if (hasOffsetToken(format)) return { at: dt.toMillis(), later: null };
    return fromWall(wallMillis(dt), zone);
  }
  let dt = DateTime.fromISO(text, { zone: 'UTC', setZone: true });
  if (!dt.isValid) dt = DateTime.fromSQL(text, { zone: 'UTC', setZone: true });
  if (!dt.isValid) return null;
  if (OFFSET_SUFFIX.test(text)) return { at: dt.toMillis(), later: null };
  return fromWall(wallMillis(dt), zone);
}

const wallMillis = (dt: DateTime): number => Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second, dt.millisecond);

const HOUR = 3_600_000;
const offsetCache = new Map<string, Map<number, number | null>>();

/**
 * `zone`'s offset (minutes) at instant `t`, through a per-hour memo: an hour whose start and end have the same offset
 * has it throughout (as fromWall assumes, transitions are hours apart), so Luxon's Intl lookup — most of an
 * import's time in bench:import's profile — runs about twice per hour of history instead of five times per row.
 * An hour holding a transition is remembered as such and asked of Luxon each time.
 */
function offsetAt(zone: IANAZone, t: number): number {
  let memo = offsetCache.get(zone.name);
  if (!memo) {
    memo = new Map();
    offsetCache.set(zone.name, memo);
  }
  const hour = Math.floor(t / HOUR);
  let known = memo.get(hour);
  if (known === undefined) {
    const start = zone.offset(hour * HOUR);
    known = start === zone.offset((hour + 1) * HOUR) ? start : null;
    if (memo.size >= 200_000) memo.clear();
    memo.set(hour, known);
  }
  return known ?? zone.offset(t);
}

/** The instant(s) at which the clocks of `zone` read `wall` (wall-clock fields encoded as if UTC). */
export function fromWall(wall: number, zoneName: string): ParsedInstant {
  const luxonZone = IANAZone.create(zoneName);
  const zone = { offset: (t: number) => offsetAt(luxonZone, t) };
  // Every offset in force within a day of the wall time (transitions are hours apart, never two in a day).
  const offsets = [...new Set([zone.offset(wall - 86_400_000), zone.offset(wall), zone.offset(wall + 86_400_000)])];
  const instants = offsets.map((o) => wall - o * 60_000).filter((t) => zone.offset(t) * 60_000 === wall - t).sort((a, b) => a - b);
  const [first, second] = instants;
  if (first !== undefined) return { at: first, later: second !== undefined && second !== first ? second : null };
  // In a gap (the offset grows): read with the offset before the transition, which lands after it by the gap's length.
  const before = Math.min(...offsets);
  return { at: wall - before * 60_000, later: null };
}
