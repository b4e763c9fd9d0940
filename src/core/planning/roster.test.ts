import { describe, expect, it } from 'vitest';
import { nextOnDuty, onDuty, rosterSchema, rosteredIntervals, shiftSpans, type RosterInput } from './roster.ts';

const roster = (r: RosterInput) => rosterSchema.parse(r);
const at = (iso: string) => new Date(iso).getTime();

describe('onDuty', () => {
  // Mon–Fri 09:00–12:00 and 13:00–17:00 in Sofia (UTC+2 in winter): a split shift with a lunch break.
  const split = roster({ zone: 'Europe/Sofia', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]])) });

  it('is on shift inside either half of a split shift and off at lunch, at night and at the weekend', () => {
    expect(onDuty(split, at('2026-12-07T07:00:00Z'))).toEqual({ onShift: true, onCall: false, onDuty: true, until: at('2026-12-07T10:00:00Z') });
    expect(onDuty(split, at('2026-12-07T10:00:00Z')).onDuty).toBe(false); // 12:00 local: the end is exclusive
    expect(onDuty(split, at('2026-12-07T11:30:00Z')).onDuty).toBe(true);
    expect(onDuty(split, at('2026-12-07T15:00:00Z')).onDuty).toBe(false); // 17:00 local
    expect(onDuty(split, at('2026-12-12T08:00:00Z')).onDuty).toBe(false); // Saturday
  });

  it('drops leave and sickness days, replaces a swapped day and adds an extra shift', () => {
    const r = roster({ ...split, exceptions: [
      { date: '2026-12-07', kind: 'leave' },
      { date: '2026-12-08', kind: 'sickness' },
      { date: '2026-12-09', kind: 'swap', shifts: [{ start: '14:00', end: '22:00' }] },
      { date: '2026-12-12', kind: 'extra', shifts: [{ start: '10:00', end: '14:00' }] },
    ] });
    expect(onDuty(r, at('2026-12-07T08:00:00Z')).onDuty).toBe(false);
    expect(onDuty(r, at('2026-12-08T08:00:00Z')).onDuty).toBe(false);
    expect(onDuty(r, at('2026-12-09T08:00:00Z')).onDuty).toBe(false); // 10:00, swapped away
    expect(onDuty(r, at('2026-12-09T19:00:00Z')).onDuty).toBe(true); // 21:00, the swapped-in late shift
    expect(onDuty(r, at('2026-12-12T09:00:00Z')).onDuty).toBe(true); // Saturday 11:00, extra
    expect(onDuty(r, at('2026-12-10T08:00:00Z')).onDuty).toBe(true); // an ordinary Thursday
  });

  it("gives the agent's country's public holidays off unless an extra shift is rostered", () => {
    // 24–26 December are public holidays in Bulgaria; 2026-12-24 is a Thursday.
    const bg = roster({ ...split, country: 'BG' });
    expect(onDuty(bg, at('2026-12-24T08:00:00Z')).onDuty).toBe(false);
    expect(onDuty(bg, at('2026-12-23T08:00:00Z')).onDuty).toBe(true);
    const covering = roster({ ...split, country: 'BG', exceptions: [{ date: '2026-12-24', kind: 'extra', shifts: [{ start: '09:00', end: '13:00' }] }] });
    expect(onDuty(covering, at('2026-12-24T08:00:00Z')).onDuty).toBe(true);
    expect(rosterSchema.safeParse({ zone: 'UTC', country: 'XX' }).success).toBe(false);
  });

  it('counts on-call periods as on duty but not on shift', () => {
    const r = roster({ ...split, on_call: [{ start: '2026-12-12T00:00', end: '2026-12-13T00:00' }] });
    expect(onDuty(r, at('2026-12-12T01:00:00Z'))).toEqual({ onShift: false, onCall: true, onDuty: true, until: at('2026-12-12T22:00:00Z') });
  });

  it('runs a night shift past midnight, 7 real hours on the spring change and 9 on the autumn one', () => {
    const night = roster({ zone: 'Europe/Berlin', weekly: { sat: [{ start: '22:00', end: '06:00' }] } });
    // 2026-03-28 (Sat) → 29 (Sun): clocks go 02:00 → 03:00.
    const spring = shiftSpans(night, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'));
    expect(spring).toEqual([{ start: at('2026-03-28T21:00:00Z'), end: at('2026-03-29T04:00:00Z') }]);
    // 2026-10-24 (Sat) → 25 (Sun): clocks go 03:00 → 02:00.
    const autumn = shiftSpans(night, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'));
    expect(autumn).toEqual([{ start: at('2026-10-24T20:00:00Z'), end: at('2026-10-25T05:00:00Z') }]);
    expect(onDuty(night, at('2026-03-29T03:30:00Z')).onDuty).toBe(true); // 05:30 CEST, still on
  });

  it('starts a shift whose local start falls in the spring gap at the end of the gap', () => {
    const r = roster({ zone: 'Europe/Berlin', weekly: { sun: [{ start: '02:30', end: '08:00' }] } });
    expect(shiftSpans(r, at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'))[0]?.start).toBe(at('2026-03-29T01:30:00Z')); // 03:30 CEST
  });

  it('finds the next moment on duty', () => {
    expect(nextOnDuty(split, at('2026-12-12T08:00:00Z'))).toBe(at('2026-12-14T07:00:00Z')); // Saturday → Monday 09:00
    expect(nextOnDuty(split, at('2026-12-07T07:00:00Z'))).toBe(at('2026-12-07T07:00:00Z'));
    expect(nextOnDuty(roster({ zone: 'UTC' }), at('2026-12-07T07:00:00Z'))).toBeNull();
  });
});

describe('rosteredIntervals', () => {
  it('counts the share of each interval every agent is on shift', () => {
    const a = roster({ zone: 'UTC', weekly: { mon: [{ start: '09:15', end: '10:00' }] } });
    const b = roster({ zone: 'UTC', weekly: { mon: [{ start: '09:00', end: '11:00' }] } });
    const out = rosteredIntervals([a, b], at('2026-12-07T09:00:00Z'), at('2026-12-07T11:00:00Z'), 30);
    expect(out.map((i) => i.staff)).toEqual([1.5, 2, 1, 1]);
    expect(out[0]?.start).toBe(at('2026-12-07T09:00:00Z'));
    expect(rosteredIntervals([a], at('2026-12-07T08:00:00Z'), at('2026-12-07T10:00:00Z'), 60).map((i) => i.staff)).toEqual([0, 0.75]);
  });

  it('keeps a DST night in the real hours it covers', () => {
    const night = roster({ zone: 'Europe/Berlin', weekly: { sat: [{ start: '22:00', end: '06:00' }] } });
    const hours = rosteredIntervals([night], at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), 60);
    expect(hours.reduce((s, i) => s + i.staff, 0)).toBe(7);
  });
});
