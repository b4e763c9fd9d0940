// The simulator's instants are entered as wall time in the viewer's zone (<input type="datetime-local" step="1">)
// and sent to the API as UTC: the zone arithmetic is agent/zoned.ts's, with seconds kept, because a replayed
// ticket's events are to the second.

import { isoToLocal, localToIso } from '../agent/zoned.ts';

const LOCAL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** "2025-03-07T16:50" or "2025-03-07T16:50:05" in `zone` → "2025-03-07T15:50:05Z" (null when empty or not a time). */
export function wallToUtc(local: string, zone: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m?.[1]) return null;
  const minute = localToIso(m[1], zone);
  if (!minute) return null;
  return new Date(Date.parse(minute) + Number(m[2] ?? 0) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An ISO instant → the datetime-local value for `zone`, seconds shown only when there are any. */
export function utcToWall(iso: string, zone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = new Date(at).getUTCSeconds();
  return seconds ? `${isoToLocal(at, zone)}:${String(seconds).padStart(2, '0')}` : isoToLocal(at, zone);
}
