// A <input type="datetime-local"> value means wall time in the agent's zone (not the browser's): these turn it
// into an instant and back with Intl alone.

function offsetMs(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000;
}

/** "2026-12-03T17:30" in `zone` → ISO instant (null when empty or invalid). */
export function localToIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let at = wall - offsetMs(wall, zone);
  const again = offsetMs(at, zone);
  if (wall - again !== at) at = wall - again;
  return new Date(at).toISOString();
}

/** ISO instant → "2026-12-03T17:30" wall time in `zone`. */
export function isoToLocal(iso: string | number, zone: string): string {
  const at = typeof iso === 'number' ? iso : Date.parse(iso);
  return new Date(at + offsetMs(at, zone)).toISOString().slice(0, 16);
}
