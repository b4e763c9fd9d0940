// Independent conformance suite for shared/specs/sla-simulator.md, written from the contract alone
// (not from this module's README or helpers). Every scenario goes through the public entry point
// `runSimulation(raw)` with raw JSON exactly as a user would write it; every expected value was
// computed by hand from the contract, with the reasoning in the comment next to it.
//
// Time zone notes used throughout (checked against the tz database):
//   Europe/Berlin is UTC+1 until 2025-03-30 02:00 local (→ 03:00, UTC+2), and UTC+1 again from
//   2025-10-26 03:00 CEST (→ 02:00 CET). America/New_York is UTC−4 from 2025-03-09.
//   2025-03-07 Fri, 2025-03-10 Mon, 2025-03-13 Thu, 2025-03-28 Fri, 2025-03-30 Sun,
//   2025-04-17 Thu, 2025-10-26 Sun, 2025-12-23 Tue, 2025-12-31 Wed, 2026-01-05 Mon.

import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { slaSimulateCommand } from '../../cli/commands/sla-simulate.ts';
import { runSimulation } from './index.ts';

// ------------------------------------------------------------------ fixtures

type Hours = Record<string, string[][]>;
const weekdays = (intervals: string[][]): Hours => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });
const everyDay = (intervals: string[][]): Hours => ({ ...weekdays(intervals), sat: intervals, sun: intervals });

/** Mon–Fri 09:00–17:00 Europe/Berlin (contract examples 2 and 3). */
const BERLIN = { timezone: 'Europe/Berlin', hours: weekdays([['09:00', '17:00']]) };
const berlinWith = (holidays: unknown[]) => ({ ...BERLIN, holidays });
const utcCal = (hours: Hours, holidays?: unknown[]) => ({ timezone: 'UTC', hours, ...(holidays ? { holidays } : {}) });

const FR = (target: number, extra: object = {}) => ({ name: 'first_response', target_minutes: target, ...extra });
const NR = (target: number, extra: object = {}) => ({ name: 'next_response', target_minutes: target, ...extra });
const PU = (target: number, extra: object = {}) => ({ name: 'periodic_update', target_minutes: target, ...extra });
const RES = (target: number, extra: object = {}) => ({ name: 'resolution', target_minutes: target, ...extra });

type Ev = { at: string; type: string; status?: string };
const ev = (at: string, type: string, status?: string): Ev => (status === undefined ? { at, type } : { at, type, status });
/** 2025-03-10 (a Monday) at HH:MM[:SS] UTC. */
const z = (hhmm: string, day = '2025-03-10') => `${day}T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}Z`;

const cyc = (started_at: string, completed_at: string | null, elapsed_business_minutes: number, breached = false) => ({
  started_at,
  completed_at,
  elapsed_business_minutes,
  breached,
});

const NOT_STARTED = {
  status: 'not_started',
  started_at: null,
  completed_at: null,
  due_at: null,
  breached: false,
  breached_at: null,
  elapsed_business_minutes: null,
  remaining_business_minutes: null,
  cycles: [],
};

const METRIC_FIELDS = [
  'status',
  'started_at',
  'completed_at',
  'due_at',
  'breached',
  'breached_at',
  'elapsed_business_minutes',
  'remaining_business_minutes',
  'cycles',
].sort();

type Scenario = {
  name: string;
  input: Record<string, unknown>;
  /** Expected `at` / `next_due_at` (checked when given). */
  at?: string;
  next_due_at?: string | null;
  /** Per metric: the fields that matter for the rule under test (cycles compared in full). */
  metrics: Record<string, Record<string, unknown>>;
};

function run(input: unknown) {
  const r = runSimulation(JSON.parse(JSON.stringify(input)));
  if (!r.ok) throw new Error(`expected valid input, got ${r.message}`);
  return r.result;
}

function check(s: Scenario): void {
  const result = run(s.input);
  // Output contract: at and next_due_at always present; every metric has every field.
  expect(Object.keys(result).sort()).toEqual(['at', 'metrics', 'next_due_at']);
  expect(result.at).toMatch(/Z$/);
  for (const m of Object.values(result.metrics)) {
    expect(Object.keys(m).sort()).toEqual(METRIC_FIELDS);
    // due_at only while running; remaining = target − elapsed is checked per case.
    if (m.status !== 'running') expect(m.due_at).toBeNull();
    for (const v of [m.started_at, m.completed_at, m.due_at, m.breached_at]) if (v !== null) expect(v).toMatch(/Z$/);
  }
  if (s.at !== undefined) expect(result.at).toBe(s.at);
  if (s.next_due_at !== undefined) expect(result.next_due_at).toBe(s.next_due_at);
  for (const [name, expected] of Object.entries(s.metrics)) {
    expect(result.metrics[name], name).toBeDefined();
    expect(result.metrics[name], name).toMatchObject(expected);
    if ('cycles' in expected) expect(result.metrics[name]?.cycles, `${name}.cycles`).toEqual(expected.cycles);
  }
}

// ------------------------------------------------------------------ the 7 examples

const examples: Scenario[] = [
  {
    // 1. 24/7: 10:00 + 60 min = 11:00; at 10:30 30 used, 30 left. Full object: every field present.
    name: 'example 1: 24/7, first_response 60, created 10:00Z, at 10:30Z',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created')], at: z('10:30') },
    at: z('10:30'),
    next_due_at: z('11:00'),
    metrics: {
      first_response: {
        status: 'running',
        started_at: z('10:00'),
        completed_at: null,
        due_at: z('11:00'),
        breached: false,
        breached_at: null,
        elapsed_business_minutes: 30,
        remaining_business_minutes: 30,
        cycles: [cyc(z('10:00'), null, 30)],
      },
    },
  },
  {
    // 2. Fri 16:30 CET: 30 min until 17:00; Sat/Sun missing = closed; Mon 09:00 + 30 = 09:30 CET = 08:30Z.
    name: 'example 2: created Friday 16:30 local → due Monday 09:30 local',
    input: { calendar: BERLIN, metrics: [FR(60)], events: [ev('2025-03-07T16:30:00+01:00', 'created')] },
    at: '2025-03-07T15:30:00Z',
    next_due_at: '2025-03-10T08:30:00Z',
    metrics: { first_response: { status: 'running', due_at: '2025-03-10T08:30:00Z', elapsed_business_minutes: 0, remaining_business_minutes: 60 } },
  },
  {
    // 3. Fri 16:00 CET + 60 = exactly the end of the interval: stays Friday 17:00 CET = 16:00Z.
    name: 'example 3: created Friday 16:00 local → due Friday 17:00 local, not Monday 09:00',
    input: { calendar: BERLIN, metrics: [FR(60)], events: [ev('2025-03-07T16:00:00+01:00', 'created')] },
    metrics: { first_response: { status: 'running', due_at: '2025-03-07T16:00:00Z' } },
  },
  {
    // 3'. Evaluated exactly at Friday 17:00: 60 used, 0 left, due reached but `at` is not LATER → no breach.
    name: 'example 3 evaluated exactly at the due instant: not breached, remaining 0',
    input: { calendar: BERLIN, metrics: [FR(60)], events: [ev('2025-03-07T16:00:00+01:00', 'created')], at: '2025-03-07T17:00:00+01:00' },
    at: '2025-03-07T16:00:00Z',
    metrics: {
      first_response: { status: 'running', due_at: '2025-03-07T16:00:00Z', breached: false, breached_at: null, elapsed_business_minutes: 60, remaining_business_minutes: 0 },
    },
  },
  {
    // 3''. Evaluated Saturday 10:00: still running (waiting for the calendar), due stays Friday 17:00
    // (in the past), wall-clock breach at Friday 17:00; next_due_at is that past instant.
    name: 'example 3 evaluated Saturday: due stays in the past, breached at Friday 17:00',
    input: { calendar: BERLIN, metrics: [FR(60)], events: [ev('2025-03-07T16:00:00+01:00', 'created')], at: '2025-03-08T10:00:00+01:00' },
    next_due_at: '2025-03-07T16:00:00Z',
    metrics: {
      first_response: {
        status: 'running',
        due_at: '2025-03-07T16:00:00Z',
        breached: true,
        breached_at: '2025-03-07T16:00:00Z',
        elapsed_business_minutes: 60,
        remaining_business_minutes: 0,
        cycles: [cyc('2025-03-07T15:00:00Z', null, 60, true)],
      },
    },
  },
  {
    // 4. Mon 10:00 CET; 10:00–10:15 = 15 used; pending 10:15–11:15 excluded; 45 left from 11:15 → 12:00 CET = 11:00Z.
    name: 'example 4: pending 10:15–11:15 is excluded → due 12:00',
    input: {
      calendar: BERLIN,
      metrics: [FR(60)],
      events: [
        ev('2025-03-10T10:00:00+01:00', 'created'),
        ev('2025-03-10T10:15:00+01:00', 'status', 'pending'),
        ev('2025-03-10T11:15:00+01:00', 'status', 'open'),
      ],
    },
    metrics: { first_response: { status: 'running', due_at: '2025-03-10T11:00:00Z', elapsed_business_minutes: 15, remaining_business_minutes: 45 } },
  },
  {
    // 4'. Same, and the agent answers exactly at 12:00 CET: 60 used, completing at the due instant is no breach.
    name: 'example 4 answered exactly at 12:00: completed, not breached',
    input: {
      calendar: BERLIN,
      metrics: [FR(60)],
      events: [
        ev('2025-03-10T10:00:00+01:00', 'created'),
        ev('2025-03-10T10:15:00+01:00', 'status', 'pending'),
        ev('2025-03-10T11:15:00+01:00', 'status', 'open'),
        ev('2025-03-10T12:00:00+01:00', 'agent_message'),
      ],
      at: '2025-03-10T12:30:00+01:00',
    },
    next_due_at: null,
    metrics: {
      first_response: {
        status: 'completed',
        completed_at: '2025-03-10T11:00:00Z',
        due_at: null,
        breached: false,
        breached_at: null,
        elapsed_business_minutes: 60,
        remaining_business_minutes: 0,
        cycles: [cyc('2025-03-10T09:00:00Z', '2025-03-10T11:00:00Z', 60)],
      },
    },
  },
  {
    // 5. Open around the clock; 01:30 CET = 00:30Z; the day has 23 h so 120 business min = 2 real
    // hours → 02:30Z = 04:30 CEST.
    name: 'example 5: spring-forward Sunday, 00:00–24:00 daily, 120 min from 01:30 → 04:30 local',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: everyDay([['00:00', '24:00']]) },
      metrics: [FR(120)],
      events: [ev('2025-03-30T01:30:00+01:00', 'created')],
    },
    metrics: { first_response: { due_at: '2025-03-30T02:30:00Z' } },
  },
  {
    // 6. First agent reply 10:00; customer 10:05 opens the cycle; 10:20 (cycle open) changes nothing.
    // due 10:05 + 120 = 12:05; at 10:30: 25 used.
    name: 'example 6: next_response, second customer message does not restart the cycle',
    input: {
      metrics: [NR(120)],
      events: [ev(z('09:00'), 'created'), ev(z('10:00'), 'agent_message'), ev(z('10:05'), 'customer_message'), ev(z('10:20'), 'customer_message')],
      at: z('10:30'),
    },
    metrics: {
      next_response: {
        status: 'running',
        started_at: z('10:05'),
        due_at: z('12:05'),
        elapsed_business_minutes: 25,
        remaining_business_minutes: 95,
        cycles: [cyc(z('10:05'), null, 25)],
      },
    },
  },
  {
    // 7. Created Mon 09:00 CET, solved 12:00 (180 used), reopened Tue 09:00 → 180 used, 300 left:
    // Tue 09:00 + 300 = 14:00 CET = 13:00Z. The single cycle is open again (completed_at null).
    name: 'example 7: resolution reopened the next day resumes with 180 used',
    input: {
      calendar: BERLIN,
      metrics: [RES(480)],
      events: [
        ev('2025-03-10T09:00:00+01:00', 'created'),
        ev('2025-03-10T12:00:00+01:00', 'status', 'solved'),
        ev('2025-03-11T09:00:00+01:00', 'status', 'open'),
      ],
    },
    at: '2025-03-11T08:00:00Z',
    metrics: {
      resolution: {
        status: 'running',
        started_at: '2025-03-10T08:00:00Z',
        completed_at: null,
        due_at: '2025-03-11T13:00:00Z',
        elapsed_business_minutes: 180,
        remaining_business_minutes: 300,
        cycles: [cyc('2025-03-10T08:00:00Z', null, 180)],
      },
    },
  },
  {
    // 7'. Between solve and reopen: completed at 12:00 CET = 11:00Z with 180 used.
    name: 'example 7 evaluated while solved: completed with 180 used',
    input: {
      calendar: BERLIN,
      metrics: [RES(480)],
      events: [
        ev('2025-03-10T09:00:00+01:00', 'created'),
        ev('2025-03-10T12:00:00+01:00', 'status', 'solved'),
        ev('2025-03-11T09:00:00+01:00', 'status', 'open'),
      ],
      at: '2025-03-10T16:00:00+01:00',
    },
    next_due_at: null,
    metrics: {
      resolution: {
        status: 'completed',
        completed_at: '2025-03-10T11:00:00Z',
        due_at: null,
        elapsed_business_minutes: 180,
        remaining_business_minutes: 300,
        cycles: [cyc('2025-03-10T08:00:00Z', '2025-03-10T11:00:00Z', 180)],
      },
    },
  },
];

// ------------------------------------------------------------------ calendar rules

const calendarRules: Scenario[] = [
  {
    // Only mon and wed listed, tue empty: Mon 16:00–17:00 = 60; Tue closed (empty list); Wed 09:00 + 60 = 10:00.
    name: 'missing and empty days are closed',
    input: {
      calendar: utcCal({ mon: [['09:00', '17:00']], tue: [], wed: [['09:00', '17:00']] }),
      metrics: [FR(120)],
      events: [ev(z('16:00'), 'created')],
    },
    metrics: { first_response: { due_at: z('10:00', '2025-03-12') } },
  },
  {
    // Mon 20:00–24:00 then Tue 00:00–02:00: from Mon 23:00, 60 min to midnight, 60 more → Tue 01:00.
    // At Tue 00:30: 90 used (midnight is not a gap).
    name: '"24:00" is the end of the day, continuous with the next day at 00:00',
    input: {
      calendar: utcCal({ mon: [['20:00', '24:00']], tue: [['00:00', '02:00']] }),
      metrics: [FR(120)],
      events: [ev(z('23:00'), 'created')],
      at: z('00:30', '2025-03-11'),
    },
    metrics: { first_response: { status: 'running', due_at: z('01:00', '2025-03-11'), elapsed_business_minutes: 90, remaining_business_minutes: 30 } },
  },
  {
    // Thu 22:00–Fri 06:00 only. Created Thu 21:00 (closed). At Fri 03:00: 22:00→03:00 = 300 used.
    // 300 left: Fri 03:00–06:00 = 180, then next Thu 22:00 + 120 = Fri 2025-03-21 00:00.
    name: 'overnight shift ["22:00","06:00"] continues into the next day',
    input: {
      calendar: utcCal({ thu: [['22:00', '06:00']] }),
      metrics: [FR(600)],
      events: [ev(z('21:00', '2025-03-13'), 'created')],
      at: z('03:00', '2025-03-14'),
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 300, remaining_business_minutes: 300, due_at: z('00:00', '2025-03-21') } },
  },
  {
    // Holiday Fri 03-14: the tail 00:00–06:00 of Thursday's shift stays open. Created Fri 01:00 + 60 → 02:00.
    name: 'holiday keeps the tail of the overnight shift that started the evening before',
    input: {
      calendar: utcCal({ thu: [['22:00', '06:00']] }, ['2025-03-14']),
      metrics: [FR(60)],
      events: [ev(z('01:00', '2025-03-14'), 'created')],
    },
    metrics: { first_response: { due_at: z('02:00', '2025-03-14') } },
  },
  {
    // Holiday Thu 03-13: the shift that starts that evening is removed (tail included); next shift
    // Thu 03-20 22:00 + 60 → 23:00.
    name: 'holiday removes the overnight shift that starts on it, tail included',
    input: {
      calendar: utcCal({ thu: [['22:00', '06:00']] }, ['2025-03-13']),
      metrics: [FR(60)],
      events: [ev(z('21:00', '2025-03-13'), 'created')],
      at: z('03:00', '2025-03-14'),
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 0, due_at: z('23:00', '2025-03-20') } },
  },
  {
    // Thu 22:00–Fri 06:00 merged with Fri 05:00–09:00 = one interval Thu 22:00–Fri 09:00 (11 h, the
    // 05:00–06:00 overlap counts once). 600 min from Thu 22:00 → Fri 08:00 (07:00 if counted twice).
    name: 'overnight tail overlapping the next day is merged, not double-counted',
    input: {
      calendar: utcCal({ thu: [['22:00', '06:00']], fri: [['05:00', '09:00']] }),
      metrics: [FR(600)],
      events: [ev(z('22:00', '2025-03-13'), 'created')],
      at: z('07:00', '2025-03-14'),
    },
    metrics: { first_response: { elapsed_business_minutes: 540, remaining_business_minutes: 60, due_at: z('08:00', '2025-03-14') } },
  },
  {
    // 2025-03-30 Berlin: 02:30 does not exist → moves forward by the gap to 03:30 CEST = 01:30Z;
    // end 04:00 CEST = 02:00Z → 30 min that day. Created 00:00Z (01:00 CET). At 02:00Z: 30 used.
    // 15 left: next Sunday 04-06 02:30 CEST = 00:30Z + 15 → 00:45Z.
    name: 'DST gap: an interval start in the gap moves forward by the gap',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: { sun: [['02:30', '04:00']] } },
      metrics: [FR(45)],
      events: [ev('2025-03-30T00:00:00Z', 'created')],
      at: '2025-03-30T02:00:00Z',
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 30, remaining_business_minutes: 15, due_at: '2025-04-06T00:45:00Z' } },
  },
  {
    // Both ends in the 2025-03-30 gap: 02:15 → 03:15 CEST (01:15Z), 02:45 → 03:45 CEST (01:45Z): 30 min
    // that day. FR 40: 10 left → next Sunday 02:15 CEST = 00:15Z + 10 → 00:25Z.
    name: 'DST gap: an interval entirely inside the gap moves forward as a whole',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: { sun: [['02:15', '02:45']] } },
      metrics: [FR(40)],
      events: [ev('2025-03-30T00:00:00Z', 'created')],
      at: '2025-03-30T03:00:00Z',
    },
    metrics: { first_response: { elapsed_business_minutes: 30, remaining_business_minutes: 10, due_at: '2025-04-06T00:25:00Z' } },
  },
  {
    // 2025-10-26 Berlin: 02:30 happens twice; first occurrence = 02:30 CEST = 00:30Z. 05:00 CET = 04:00Z,
    // so the day is open 210 min. first_response 60 → 01:30Z (second occurrence would give 02:30Z).
    // resolution 240: 210 that day, next Sunday 11-02 02:30 CET = 01:30Z + 30 → 02:00Z.
    name: 'DST overlap: an ambiguous local time means its first occurrence',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: { sun: [['02:30', '05:00']] } },
      metrics: [FR(60), RES(240)],
      events: [ev('2025-10-26T00:00:00Z', 'created')],
    },
    next_due_at: '2025-10-26T01:30:00Z',
    metrics: { first_response: { due_at: '2025-10-26T01:30:00Z' }, resolution: { due_at: '2025-11-02T02:00:00Z' } },
  },
  {
    // ["23:00","23:59"] is 59 minutes (23:59 is a minute, not the end of the day): 59 on Monday, the
    // 60th minute is Tue 09:00–09:01.
    name: '"23:59" is the minute 23:59, not the end of the day',
    input: {
      calendar: utcCal({ mon: [['23:00', '23:59']], tue: [['09:00', '10:00']] }),
      metrics: [FR(60)],
      events: [ev(z('23:00'), 'created')],
      at: z('08:00', '2025-03-11'),
    },
    metrics: { first_response: { elapsed_business_minutes: 59, remaining_business_minutes: 1, due_at: z('09:01', '2025-03-11') } },
  },
  {
    // Lunch break 12:30–13:30 CET: created 12:00 → 30 before lunch; at 13:00 (lunch) still 30 used,
    // still running (waiting for the calendar); due 13:30 + 30 = 14:00 CET = 13:00Z.
    name: 'lunch break is not business time',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']] } },
      metrics: [FR(60)],
      events: [ev('2025-03-10T12:00:00+01:00', 'created')],
      at: '2025-03-10T13:00:00+01:00',
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 30, due_at: '2025-03-10T13:00:00Z' } },
  },
  {
    // New York is already on EDT (UTC−4) on 2025-03-10: created 12:00Z = 08:00 local (closed);
    // opens 09:00 EDT = 13:00Z; +60 → 14:00Z.
    name: 'hours are local to the calendar zone (America/New_York, after its DST start)',
    input: {
      calendar: { timezone: 'America/New_York', hours: weekdays([['09:00', '17:00']]) },
      metrics: [FR(60)],
      events: [ev(z('12:00'), 'created')],
      at: z('12:45'),
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 0, due_at: z('14:00') } },
  },
  {
    // Fri 2025-03-28 16:00 CET (15:00Z): 60 that day; Monday 03-31 is CEST: 09:00 = 07:00Z, +60 → 08:00Z.
    name: 'due across the DST weekend uses the new offset on Monday',
    input: { calendar: BERLIN, metrics: [FR(120)], events: [ev('2025-03-28T16:00:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2025-03-31T08:00:00Z' } },
  },
  {
    // Created Saturday 10:00 CET, answered Saturday 11:00 CET: no business time passed → 0 used, 60 left, no breach.
    name: 'first reply on a non-working day: 0 business minutes, not breached',
    input: {
      calendar: BERLIN,
      metrics: [FR(60)],
      events: [ev('2025-03-08T10:00:00+01:00', 'created'), ev('2025-03-08T11:00:00+01:00', 'agent_message')],
    },
    metrics: {
      first_response: {
        status: 'completed',
        completed_at: '2025-03-08T10:00:00Z',
        breached: false,
        elapsed_business_minutes: 0,
        remaining_business_minutes: 60,
        cycles: [cyc('2025-03-08T09:00:00Z', '2025-03-08T10:00:00Z', 0)],
      },
    },
  },
  {
    // Created Saturday, not answered: the clock waits for Monday 09:00 CET; due 10:00 CET = 09:00Z.
    name: 'created on a weekend: due counted from the next opening',
    input: { calendar: BERLIN, metrics: [FR(60)], events: [ev('2025-03-08T10:00:00+01:00', 'created')] },
    metrics: { first_response: { status: 'running', due_at: '2025-03-10T09:00:00Z' } },
  },
];

// ------------------------------------------------------------------ holidays

const holidayRules: Scenario[] = [
  {
    // Holiday Monday 03-10: Fri 16:30–17:00 = 30, Mon closed, Tue 09:00 + 30 → 09:30 CET = 08:30Z.
    name: 'holiday as a "YYYY-MM-DD" string',
    input: { calendar: berlinWith(['2025-03-10']), metrics: [FR(60)], events: [ev('2025-03-07T16:30:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2025-03-11T08:30:00Z' } },
  },
  {
    // {date 2020-12-24, yearly} closes 2025-12-24 too; "2025-12-25" closes Thursday: Tue 16:30–17:00 = 30,
    // Wed+Thu closed, Fri 12-26 09:30 CET = 08:30Z.
    name: 'yearly holiday recurs on its month and day; string holiday alongside',
    input: {
      calendar: berlinWith([{ date: '2020-12-24', yearly: true }, '2025-12-25']),
      metrics: [FR(60)],
      events: [ev('2025-12-23T16:30:00+01:00', 'created')],
    },
    metrics: { first_response: { due_at: '2025-12-26T08:30:00Z' } },
  },
  {
    // {date} without yearly is one date only: 2024-12-24 does not close 2025-12-24 → Wed 09:30 CET.
    name: 'a {date} without yearly is a single date',
    input: { calendar: berlinWith([{ date: '2024-12-24' }]), metrics: [FR(60)], events: [ev('2025-12-23T16:30:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2025-12-24T08:30:00Z' } },
  },
  {
    // DE-BY: 2026-01-06 (Epiphany) is a public holiday in Bavaria: Mon 16:30 + 30, Tue closed, Wed 09:30 CET.
    name: 'country + region public holidays (DE, BY: Epiphany)',
    input: { calendar: berlinWith([{ country: 'DE', region: 'BY' }]), metrics: [FR(60)], events: [ev('2026-01-05T16:30:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2026-01-07T08:30:00Z' } },
  },
  {
    // Germany without a region: Epiphany is not national → Tue 01-06 09:30 CET.
    name: 'country without region: regional holidays do not apply',
    input: { calendar: berlinWith([{ country: 'DE' }]), metrics: [FR(60)], events: [ev('2026-01-05T16:30:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2026-01-06T08:30:00Z' } },
  },
  {
    // Easter 2025 in DE: Good Friday 04-18 and Easter Monday 04-21 closed. Thu 16:30 CEST + 30, then
    // Tue 04-22 09:30 CEST = 07:30Z.
    name: 'country holidays: Easter weekend',
    input: { calendar: berlinWith([{ country: 'DE' }]), metrics: [FR(60)], events: [ev('2025-04-17T16:30:00+02:00', 'created')] },
    metrics: { first_response: { due_at: '2025-04-22T07:30:00Z' } },
  },
  {
    // New Year across the (UTC) year boundary: Wed 12-31 16:30 CET + 30, Thu 01-01 Neujahr closed,
    // Fri 2026-01-02 09:30 CET = 08:30Z.
    name: 'due crosses the year boundary and skips New Year',
    input: { calendar: berlinWith([{ country: 'DE' }]), metrics: [RES(60)], events: [ev('2025-12-31T16:30:00+01:00', 'created')] },
    metrics: { resolution: { due_at: '2026-01-02T08:30:00Z' } },
  },
];

// ------------------------------------------------------------------ metric rules

const metricRules: Scenario[] = [
  {
    // auto_message (never a response), agent_note (internal) and customer_message do not stop it; the
    // first agent_message at 10:40 does (40 used); the second one changes nothing.
    name: 'first_response stops at the first agent_message only',
    input: {
      metrics: [FR(60)],
      events: [
        ev(z('10:00'), 'created'),
        ev(z('10:01'), 'auto_message'),
        ev(z('10:10'), 'agent_note'),
        ev(z('10:20'), 'customer_message'),
        ev(z('10:40'), 'agent_message'),
        ev(z('10:50'), 'agent_message'),
      ],
      at: z('11:00'),
    },
    next_due_at: null,
    metrics: {
      first_response: {
        status: 'completed',
        started_at: z('10:00'),
        completed_at: z('10:40'),
        due_at: null,
        breached: false,
        breached_at: null,
        elapsed_business_minutes: 40,
        remaining_business_minutes: 20,
        cycles: [cyc(z('10:00'), z('10:40'), 40)],
      },
    },
  },
  {
    // No agent reply yet: a customer message does not start next_response → not_started, every field present.
    name: 'next_response does not start before the first agent reply',
    input: { metrics: [NR(60)], events: [ev(z('10:00'), 'created'), ev(z('10:10'), 'customer_message')], at: z('10:30') },
    next_due_at: null,
    metrics: { next_response: NOT_STARTED },
  },
  {
    // 10:10 customer ignored (before first reply); agent 10:30; customer 10:40 → cycle; agent 11:00 stops
    // (20); customer 11:30 → new cycle; at 12:00: 30 used, due 12:30.
    name: 'next_response: one cycle per customer message → agent reply',
    input: {
      metrics: [NR(60)],
      events: [
        ev(z('10:00'), 'created'),
        ev(z('10:10'), 'customer_message'),
        ev(z('10:30'), 'agent_message'),
        ev(z('10:40'), 'customer_message'),
        ev(z('11:00'), 'agent_message'),
        ev(z('11:30'), 'customer_message'),
      ],
      at: z('12:00'),
    },
    metrics: {
      next_response: {
        status: 'running',
        started_at: z('11:30'),
        due_at: z('12:30'),
        elapsed_business_minutes: 30,
        remaining_business_minutes: 30,
        cycles: [cyc(z('10:40'), z('11:00'), 20), cyc(z('11:30'), null, 30)],
      },
    },
  },
  {
    // Pending from 09:40: customer 10:00 opens a (paused) cycle; customer 10:30 while it is open (paused)
    // does not restart it. At 10:45 still paused: 0 used, no due.
    name: 'next_response cycle opened while pending is paused; no due',
    input: {
      metrics: [NR(120)],
      events: [
        ev(z('09:00'), 'created'),
        ev(z('09:30'), 'agent_message'),
        ev(z('09:40'), 'status', 'pending'),
        ev(z('10:00'), 'customer_message'),
        ev(z('10:30'), 'customer_message'),
      ],
      at: z('10:45'),
    },
    next_due_at: null,
    metrics: { next_response: { status: 'paused', started_at: z('10:00'), due_at: null, elapsed_business_minutes: 0, cycles: [cyc(z('10:00'), null, 0)] } },
  },
  {
    // Same, status open at 11:00: the cycle from 10:00 (not 10:30) resumes; at 11:30 30 used, due 11:30+90 = 13:00.
    name: 'next_response is not restarted by a second customer message while paused',
    input: {
      metrics: [NR(120)],
      events: [
        ev(z('09:00'), 'created'),
        ev(z('09:30'), 'agent_message'),
        ev(z('09:40'), 'status', 'pending'),
        ev(z('10:00'), 'customer_message'),
        ev(z('10:30'), 'customer_message'),
        ev(z('11:00'), 'status', 'open'),
      ],
      at: z('11:30'),
    },
    metrics: {
      next_response: { status: 'running', started_at: z('10:00'), due_at: z('13:00'), elapsed_business_minutes: 30, remaining_business_minutes: 90, cycles: [cyc(z('10:00'), null, 30)] },
    },
  },
  {
    // Equal instants keep their order: customer 10:30 opens, agent 10:30 (after it) closes → 0-minute cycle.
    name: 'equal instants keep their order (customer then agent at 10:30)',
    input: {
      metrics: [NR(60)],
      events: [ev(z('10:00'), 'created'), ev(z('10:10'), 'agent_message'), ev(z('10:30'), 'customer_message'), ev(z('10:30'), 'agent_message')],
      at: z('10:45'),
    },
    metrics: { next_response: { status: 'completed', cycles: [cyc(z('10:30'), z('10:30'), 0)] } },
  },
  {
    // Reverse order: agent 10:30 (nothing open), then customer 10:30 opens; at 10:45 15 used.
    name: 'equal instants keep their order (agent then customer at 10:30)',
    input: {
      metrics: [NR(60)],
      events: [ev(z('10:00'), 'created'), ev(z('10:10'), 'agent_message'), ev(z('10:30'), 'agent_message'), ev(z('10:30'), 'customer_message')],
      at: z('10:45'),
    },
    metrics: { next_response: { status: 'running', due_at: z('11:30'), cycles: [cyc(z('10:30'), null, 15)] } },
  },
  {
    // periodic_update 60: 08:00–09:00 (60, completed exactly at due → no breach); 09:00–10:30 (90 > 60,
    // breached); 10:30– open, 30 used, due 11:30. The metric reports the open cycle: not breached.
    name: 'periodic_update: every agent_message stops the cycle and starts a new one',
    input: {
      metrics: [PU(60)],
      events: [ev(z('08:00'), 'created'), ev(z('09:00'), 'agent_message'), ev(z('10:30'), 'agent_message')],
      at: z('11:00'),
    },
    metrics: {
      periodic_update: {
        status: 'running',
        started_at: z('10:30'),
        due_at: z('11:30'),
        breached: false,
        breached_at: null,
        elapsed_business_minutes: 30,
        remaining_business_minutes: 30,
        cycles: [cyc(z('08:00'), z('09:00'), 60), cyc(z('09:00'), z('10:30'), 90, true), cyc(z('10:30'), null, 30)],
      },
    },
  },
  {
    // Created with status solved: resolution completes at once (0 used); first_response started but is
    // paused by solved (no due). Nothing running → next_due_at null.
    name: 'created as solved: resolution completes at once, others paused',
    input: { metrics: [FR(60), RES(120)], events: [ev(z('10:00'), 'created', 'solved')], at: z('10:30') },
    next_due_at: null,
    metrics: {
      resolution: {
        status: 'completed',
        started_at: z('10:00'),
        completed_at: z('10:00'),
        due_at: null,
        breached: false,
        elapsed_business_minutes: 0,
        remaining_business_minutes: 120,
        cycles: [cyc(z('10:00'), z('10:00'), 0)],
      },
      first_response: { status: 'paused', started_at: z('10:00'), due_at: null, elapsed_business_minutes: 0 },
    },
  },
  {
    // ...then reopened (open) at 11:00: resolution's cycle is open again from 11:00 (completed_at null),
    // 30 used at 11:30, due 13:00; first_response resumes, due 12:00 = next_due_at.
    name: 'created as solved then reopened: resolution resumes, first_response resumes',
    input: { metrics: [FR(60), RES(120)], events: [ev(z('10:00'), 'created', 'solved'), ev(z('11:00'), 'status', 'open')], at: z('11:30') },
    next_due_at: z('12:00'),
    metrics: {
      resolution: { status: 'running', started_at: z('10:00'), completed_at: null, due_at: z('13:00'), elapsed_business_minutes: 30, cycles: [cyc(z('10:00'), null, 30)] },
      first_response: { status: 'running', due_at: z('12:00'), elapsed_business_minutes: 30 },
    },
  },
  {
    // solved 09:00 → closed 10:00 (still done, nothing resumes) → open 11:00. While closed (10:30):
    // resolution completed at 09:00 with 60; periodic_update paused with 60.
    name: 'solved then closed: resolution stays completed at the solve, others stay paused',
    input: {
      metrics: [RES(240), PU(240)],
      events: [ev(z('08:00'), 'created'), ev(z('09:00'), 'status', 'solved'), ev(z('10:00'), 'status', 'closed'), ev(z('11:00'), 'status', 'open')],
      at: z('10:30'),
    },
    next_due_at: null,
    metrics: {
      resolution: { status: 'completed', completed_at: z('09:00'), elapsed_business_minutes: 60, cycles: [cyc(z('08:00'), z('09:00'), 60)] },
      periodic_update: { status: 'paused', due_at: null, elapsed_business_minutes: 60, cycles: [cyc(z('08:00'), null, 60)] },
    },
  },
  {
    // Same at 12:00: leaving closed resumes both with 60 used; 60 more since 11:00 → 120 used, due 14:00.
    name: 'leaving closed resumes resolution (one cycle) and the paused metrics',
    input: {
      metrics: [RES(240), PU(240)],
      events: [ev(z('08:00'), 'created'), ev(z('09:00'), 'status', 'solved'), ev(z('10:00'), 'status', 'closed'), ev(z('11:00'), 'status', 'open')],
      at: z('12:00'),
    },
    next_due_at: z('14:00'),
    metrics: {
      resolution: { status: 'running', completed_at: null, due_at: z('14:00'), elapsed_business_minutes: 120, remaining_business_minutes: 120, cycles: [cyc(z('08:00'), null, 120)] },
      periodic_update: { status: 'running', due_at: z('14:00'), elapsed_business_minutes: 120, cycles: [cyc(z('08:00'), null, 120)] },
    },
  },
  {
    // Contract's customer_update: created opens; customer 08:10 while open changes nothing; agent 08:30
    // stops (30); agent 08:40 nothing; customer 09:00 opens a new cycle (repeat); at 09:20 20 used, due 10:00.
    name: 'custom metric with repeat',
    input: {
      metrics: [{ name: 'customer_update', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['agent_message'], repeat: true }],
      events: [
        ev(z('08:00'), 'created'),
        ev(z('08:10'), 'customer_message'),
        ev(z('08:30'), 'agent_message'),
        ev(z('08:40'), 'agent_message'),
        ev(z('09:00'), 'customer_message'),
      ],
      at: z('09:20'),
    },
    metrics: { customer_update: { status: 'running', started_at: z('09:00'), due_at: z('10:00'), cycles: [cyc(z('08:00'), z('08:30'), 30), cyc(z('09:00'), null, 20)] } },
  },
  {
    // Without repeat (default false): after the stop at 08:30 no new cycle opens.
    name: 'custom metric without repeat: one cycle only',
    input: {
      metrics: [{ name: 'customer_update', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['agent_message'] }],
      events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'agent_message'), ev(z('09:00'), 'customer_message')],
      at: z('09:20'),
    },
    next_due_at: null,
    metrics: { customer_update: { status: 'completed', completed_at: z('08:30'), elapsed_business_minutes: 30, cycles: [cyc(z('08:00'), z('08:30'), 30)] } },
  },
  {
    // agent_message in both lists: stops the open cycle, then opens a new one. 08:00–08:20 (20),
    // 08:20–09:00 (40 > 30 → breached), 09:00– (10 at 09:10, due 09:30).
    name: 'custom metric: an event in both lists stops then opens',
    input: {
      metrics: [{ name: 'touch', target_minutes: 30, start_on: ['created', 'agent_message'], stop_on: ['agent_message'], repeat: true }],
      events: [ev(z('08:00'), 'created'), ev(z('08:20'), 'agent_message'), ev(z('09:00'), 'agent_message')],
      at: z('09:10'),
    },
    metrics: {
      touch: {
        status: 'running',
        due_at: z('09:30'),
        breached: false,
        cycles: [cyc(z('08:00'), z('08:20'), 20), cyc(z('08:20'), z('09:00'), 40, true), cyc(z('09:00'), null, 10)],
      },
    },
  },
  {
    // `created` with status pending is only of kind `created`: start_on status:pending does not start.
    // status:pending at 09:00 starts (pause_statuses [] so it runs); customer 09:45 stops: 45 > 30,
    // breached at 09:30. first_response (default pause pending): paused 08:00–08:40, runs 08:40–09:00
    // (20), paused again from 09:00.
    name: 'custom metric on status:<s> kinds; created is only of kind created',
    input: {
      metrics: [
        FR(60),
        { name: 'customer_wait', target_minutes: 30, start_on: ['status:pending'], stop_on: ['customer_message'], pause_statuses: [] },
      ],
      events: [
        ev(z('08:00'), 'created', 'pending'),
        ev(z('08:30'), 'customer_message'),
        ev(z('08:40'), 'status', 'open'),
        ev(z('09:00'), 'status', 'pending'),
        ev(z('09:45'), 'customer_message'),
      ],
      at: z('10:00'),
    },
    next_due_at: null,
    metrics: {
      customer_wait: {
        status: 'completed',
        breached: true,
        breached_at: z('09:30'),
        elapsed_business_minutes: 45,
        remaining_business_minutes: -15,
        cycles: [cyc(z('09:00'), z('09:45'), 45, true)],
      },
      first_response: { status: 'paused', elapsed_business_minutes: 20, due_at: null },
    },
  },
  {
    // created alone never matches start_on [status:new] → not_started.
    name: 'created with status new is not of kind status:new',
    input: {
      metrics: [{ name: 'triage', target_minutes: 30, start_on: ['status:new'], stop_on: ['status:open'] }],
      events: [ev(z('08:00'), 'created', 'new')],
      at: z('09:00'),
    },
    metrics: { triage: NOT_STARTED },
  },
  {
    // start status:open, stop status:solved, repeat; default pause (pending):
    // cycle 1 08:10–08:40 (30); open 09:00 → cycle 2; pending 09:10 (10 used); open 09:40 while the
    // cycle is open changes nothing; 09:40–10:00 → 30 used; due 10:00 + 30 = 10:30.
    name: 'custom metric on status kinds with repeat and default pausing',
    input: {
      metrics: [{ name: 'work', target_minutes: 60, start_on: ['status:open'], stop_on: ['status:solved'], repeat: true }],
      events: [
        ev(z('08:00'), 'created'),
        ev(z('08:10'), 'status', 'open'),
        ev(z('08:40'), 'status', 'solved'),
        ev(z('09:00'), 'status', 'open'),
        ev(z('09:10'), 'status', 'pending'),
        ev(z('09:40'), 'status', 'open'),
      ],
      at: z('10:00'),
    },
    metrics: { work: { status: 'running', started_at: z('09:00'), due_at: z('10:30'), cycles: [cyc(z('08:10'), z('08:40'), 30), cyc(z('09:00'), null, 30)] } },
  },
];

// ------------------------------------------------------------------ pause_statuses

const pauseRules: Scenario[] = [
  {
    // Default pause list is ["pending"] only: on_hold from 08:30 does not pause → 60 used at 09:00.
    name: 'default pause_statuses is ["pending"]: on_hold does not pause',
    input: { metrics: [FR(120)], events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'status', 'on_hold')], at: z('09:00') },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 60, due_at: z('10:00') } },
  },
  {
    // Top-level ["on_hold"] replaces the default: pending 08:30 does not pause (30+30), on_hold 09:00 does.
    name: 'top-level pause_statuses replaces the default',
    input: {
      metrics: [FR(120)],
      pause_statuses: ['on_hold'],
      events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'status', 'pending'), ev(z('09:00'), 'status', 'on_hold')],
      at: z('09:30'),
    },
    metrics: { first_response: { status: 'paused', elapsed_business_minutes: 60, due_at: null } },
  },
  {
    // resolution overrides with [pending, on_hold]; first_response inherits ["pending"]:
    // on_hold 08:30 pauses resolution (30 used) but not first_response (60 used, due 10:00).
    name: 'per-metric pause_statuses overrides the top-level list',
    input: {
      metrics: [FR(120), RES(480, { pause_statuses: ['pending', 'on_hold'] })],
      events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'status', 'on_hold')],
      at: z('09:00'),
    },
    next_due_at: z('10:00'),
    metrics: {
      first_response: { status: 'running', elapsed_business_minutes: 60, due_at: z('10:00') },
      resolution: { status: 'paused', elapsed_business_minutes: 30, due_at: null },
    },
  },
  {
    // first_response with [] is never paused by a pause status, but solved still pauses it:
    // 08:00–09:00 = 60, solved 09:00 → paused. resolution (inherits pending): 30, paused, completed at 09:00.
    name: 'pause_statuses [] = never paused, but solved still pauses other metrics',
    input: {
      metrics: [FR(120, { pause_statuses: [] }), RES(480)],
      events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'status', 'pending'), ev(z('09:00'), 'status', 'solved')],
      at: z('09:30'),
    },
    next_due_at: null,
    metrics: {
      first_response: { status: 'paused', elapsed_business_minutes: 60 },
      resolution: { status: 'completed', completed_at: z('09:00'), elapsed_business_minutes: 30 },
    },
  },
  {
    // ...and leaving solved at 10:00 resumes: first_response 60+30 = 90 (due 11:00);
    // resolution 30+30 = 60, due 10:30 + 420 = 17:30.
    name: 'leaving solved resumes the metrics it paused',
    input: {
      metrics: [FR(120, { pause_statuses: [] }), RES(480)],
      events: [ev(z('08:00'), 'created'), ev(z('08:30'), 'status', 'pending'), ev(z('09:00'), 'status', 'solved'), ev(z('10:00'), 'status', 'open')],
      at: z('10:30'),
    },
    next_due_at: z('11:00'),
    metrics: {
      first_response: { status: 'running', elapsed_business_minutes: 90, due_at: z('11:00') },
      resolution: { status: 'running', completed_at: null, elapsed_business_minutes: 60, due_at: z('17:30') },
    },
  },
  {
    // Overdue then paused: 90 used at 11:30 (target ran out 11:00) → paused, no due, still breached at 11:00.
    name: 'an overdue cycle paused stays breached, without a due',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('11:30'), 'status', 'pending')], at: z('12:00') },
    next_due_at: null,
    metrics: { first_response: { status: 'paused', due_at: null, breached: true, breached_at: z('11:00'), elapsed_business_minutes: 90, remaining_business_minutes: -30 } },
  },
  {
    // ...resumed at 12:00: running again, due stays the past instant 11:00; 120 used at 12:30.
    name: 'an overdue cycle resumed keeps its past due',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('11:30'), 'status', 'pending'), ev(z('12:00'), 'status', 'open')], at: z('12:30') },
    next_due_at: z('11:00'),
    metrics: { first_response: { status: 'running', due_at: z('11:00'), breached: true, breached_at: z('11:00'), elapsed_business_minutes: 120 } },
  },
];

// ------------------------------------------------------------------ `at`, output fields, instants

const outputRules: Scenario[] = [
  {
    // No `at`: the last event's time (10:20). 20 used.
    name: 'at defaults to the last event',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('10:20'), 'customer_message')] },
    at: z('10:20'),
    metrics: { first_response: { elapsed_business_minutes: 20, due_at: z('11:00') } },
  },
  {
    // at (11:00+02:00 = 09:00Z) before created (10:00Z): every metric not_started; at printed in UTC.
    name: 'at before created: every metric not_started',
    input: { metrics: [FR(60), RES(480)], events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'agent_message')], at: '2025-03-10T11:00:00+02:00' },
    at: z('09:00'),
    next_due_at: null,
    metrics: { first_response: NOT_STARTED, resolution: NOT_STARTED },
  },
  {
    // Events after at (agent 10:45, solved 11:00) have not happened: at 10:30 both running.
    name: 'events after at are ignored',
    input: {
      metrics: [FR(60), RES(480)],
      events: [ev(z('10:00'), 'created'), ev(z('10:45'), 'agent_message'), ev(z('11:00'), 'status', 'solved')],
      at: z('10:30'),
    },
    next_due_at: z('11:00'),
    metrics: {
      first_response: { status: 'running', completed_at: null, elapsed_business_minutes: 30, due_at: z('11:00') },
      resolution: { status: 'running', elapsed_business_minutes: 30, due_at: z('18:00') },
    },
  },
  {
    // An event exactly at `at` has happened: agent at 10:30 = at → completed.
    name: 'an event exactly at at counts',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'agent_message')], at: z('10:30') },
    metrics: { first_response: { status: 'completed', completed_at: z('10:30'), elapsed_business_minutes: 30 } },
  },
  {
    // Created Fri 16:00 CET, due Fri 17:00 CET; answered Saturday: 60 business minutes (Sat closed),
    // yet breached (wall clock), breached_at Friday 17:00 = 16:00Z.
    name: 'due Friday 17:00, answered Saturday: breached at Friday 17:00',
    input: {
      calendar: BERLIN,
      metrics: [FR(60)],
      events: [ev('2025-03-07T16:00:00+01:00', 'created'), ev('2025-03-08T10:00:00+01:00', 'agent_message')],
    },
    metrics: {
      first_response: {
        status: 'completed',
        completed_at: '2025-03-08T09:00:00Z',
        due_at: null,
        breached: true,
        breached_at: '2025-03-07T16:00:00Z',
        elapsed_business_minutes: 60,
        remaining_business_minutes: 0,
        cycles: [cyc('2025-03-07T15:00:00Z', '2025-03-08T09:00:00Z', 60, true)],
      },
    },
  },
  {
    // 24/7: answered exactly at 11:00 = due → not a breach; remaining 0.
    name: 'completing exactly at the due instant is not a breach',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('11:00'), 'agent_message')] },
    metrics: { first_response: { status: 'completed', breached: false, breached_at: null, elapsed_business_minutes: 60, remaining_business_minutes: 0 } },
  },
  {
    // One second later (11:00:01) is a breach, breached_at 11:00:00.
    name: 'completing one second after due is a breach',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('11:00:01'), 'agent_message')] },
    metrics: { first_response: { status: 'completed', breached: true, breached_at: z('11:00'), elapsed_business_minutes: 60, remaining_business_minutes: 0 } },
  },
  {
    // 10:00:30 → 10:30:29 = 29 min 59 s → 29 (rounded down), remaining 31.
    name: 'elapsed is whole minutes rounded down (seconds count)',
    input: { metrics: [FR(60)], events: [ev(z('10:00:30'), 'created'), ev(z('10:30:29'), 'agent_message')] },
    metrics: { first_response: { completed_at: z('10:30:29'), elapsed_business_minutes: 29, remaining_business_minutes: 31 } },
  },
  {
    // Running and overdue: 90 used, remaining −30, due stays 11:00 (past) and is next_due_at even
    // though resolution is due later (18:00).
    name: 'overdue running: remaining negative, next_due_at is the earliest (past) due',
    input: { metrics: [RES(480), FR(60)], events: [ev(z('10:00'), 'created')], at: z('11:30') },
    next_due_at: z('11:00'),
    metrics: {
      first_response: { status: 'running', due_at: z('11:00'), breached: true, breached_at: z('11:00'), elapsed_business_minutes: 90, remaining_business_minutes: -30 },
      resolution: { status: 'running', due_at: z('18:00'), breached: false },
    },
  },
  {
    // +02:00 offsets and seconds: created 12:00:30+02:00 = 10:00:30Z, at 12:30:45+02:00 = 10:30:45Z:
    // 30 min 15 s → 30; due 11:00:30Z. All output in UTC with Z.
    name: 'instants with offsets and seconds; results in UTC with Z',
    input: { metrics: [FR(60)], events: [ev('2025-03-10T12:00:30+02:00', 'created')], at: '2025-03-10T12:30:45+02:00' },
    at: '2025-03-10T10:30:45Z',
    next_due_at: '2025-03-10T11:00:30Z',
    metrics: {
      first_response: { started_at: '2025-03-10T10:00:30Z', due_at: '2025-03-10T11:00:30Z', elapsed_business_minutes: 30, remaining_business_minutes: 30 },
    },
  },
  {
    // Calendar at the interval end: 2 h of a 3 h target used Mon 15:00–17:00 CET; due Tue 10:00 CET.
    // Resolution 120 from Mon 15:00 → exactly 17:00 CET = 16:00Z (not Tue 09:00).
    name: 'a due that lands exactly at an interval end is that end',
    input: { calendar: BERLIN, metrics: [RES(120), FR(180)], events: [ev('2025-03-10T15:00:00+01:00', 'created')] },
    next_due_at: '2025-03-10T16:00:00Z',
    metrics: { resolution: { due_at: '2025-03-10T16:00:00Z' }, first_response: { due_at: '2025-03-11T09:00:00Z' } },
  },
];

// ------------------------------------------------------------------ the contract's own input sample

/** The calendar of the contract's input example, verbatim. */
const CONTRACT_CALENDAR = {
  timezone: 'Europe/Berlin',
  hours: {
    mon: [['09:00', '12:30'], ['13:30', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '24:00']],
    thu: [['22:00', '06:00']],
    fri: [['09:00', '17:00']],
  },
  holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }],
};

const contractSample: Scenario[] = [
  {
    // The contract's input document. Created Fri 16:50 CET (15:50Z), first agent reply Mon 09:15 CET,
    // pending from Mon 09:16 CET, evaluated Tue 13:00 CET. No holidays in BY that week.
    // first_response: Fri 16:50–17:00 (10) + Mon 09:00–09:15 (15) = 25 → matches the sample output.
    // next_response: no customer message after the first reply → not_started.
    // periodic_update: cycle 1 created→reply (25); cycle 2 from the reply, 1 min (09:15–09:16), then
    //   paused by pending (top-level list) → paused, 1 used, no due.
    // resolution (pauses on pending/on_hold): 10 + 16 (Mon 09:00–09:16) = 26, paused.
    // customer_update: opened at created, stopped by the reply (25), no customer message since → completed.
    // Nothing running → next_due_at null (as in the sample output).
    name: "the contract's input sample evaluates to its output sample",
    input: {
      calendar: CONTRACT_CALENDAR,
      metrics: [
        { name: 'first_response', target_minutes: 60 },
        { name: 'next_response', target_minutes: 120 },
        { name: 'periodic_update', target_minutes: 480 },
        { name: 'resolution', target_minutes: 960, pause_statuses: ['pending', 'on_hold'] },
        { name: 'customer_update', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['agent_message'], repeat: true },
      ],
      pause_statuses: ['pending'],
      events: [
        { at: '2025-03-07T15:50:00Z', type: 'created', status: 'new' },
        { at: '2025-03-10T08:15:00Z', type: 'agent_message' },
        { at: '2025-03-10T08:16:00Z', type: 'status', status: 'pending' },
      ],
      at: '2025-03-11T12:00:00Z',
    },
    at: '2025-03-11T12:00:00Z',
    next_due_at: null,
    metrics: {
      first_response: {
        status: 'completed',
        started_at: '2025-03-07T15:50:00Z',
        completed_at: '2025-03-10T08:15:00Z',
        due_at: null,
        breached: false,
        breached_at: null,
        elapsed_business_minutes: 25,
        remaining_business_minutes: 35,
        cycles: [cyc('2025-03-07T15:50:00Z', '2025-03-10T08:15:00Z', 25)],
      },
      next_response: NOT_STARTED,
      periodic_update: {
        status: 'paused',
        started_at: '2025-03-10T08:15:00Z',
        completed_at: null,
        due_at: null,
        elapsed_business_minutes: 1,
        remaining_business_minutes: 479,
        cycles: [cyc('2025-03-07T15:50:00Z', '2025-03-10T08:15:00Z', 25), cyc('2025-03-10T08:15:00Z', null, 1)],
      },
      resolution: { status: 'paused', due_at: null, elapsed_business_minutes: 26, remaining_business_minutes: 934, cycles: [cyc('2025-03-07T15:50:00Z', null, 26)] },
      customer_update: {
        status: 'completed',
        completed_at: '2025-03-10T08:15:00Z',
        elapsed_business_minutes: 25,
        remaining_business_minutes: 35,
        cycles: [cyc('2025-03-07T15:50:00Z', '2025-03-10T08:15:00Z', 25)],
      },
    },
  },
  {
    // Same calendar: Wed 23:00 CET (22:00Z) → 60 until Wed 24:00; Thu is closed until its 22:00 shift;
    // Thu 22:00 CET + 60 → 23:00 CET = 22:00Z.
    name: 'contract calendar: Wednesday until 24:00, then the Thursday night shift',
    input: { calendar: CONTRACT_CALENDAR, metrics: [FR(120)], events: [ev('2025-03-12T23:00:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2025-03-13T22:00:00Z' } },
  },
  {
    // Same calendar, Christmas week 2025: created Tue 12-23 16:50 CET (10 min left that day);
    // Wed 12-24 (yearly), Thu 12-25 (string, also DE), Fri 12-26 (DE: 2. Weihnachtstag) closed, but the
    // Thursday night shift starts on the 25th → removed with its Friday tail. Weekend closed.
    // Mon 12-29 09:00 + 50 → 09:50 CET = 08:50Z.
    name: 'contract calendar: VIP writes in the Christmas week',
    input: { calendar: CONTRACT_CALENDAR, metrics: [FR(60)], events: [ev('2025-12-23T16:50:00+01:00', 'created')] },
    metrics: { first_response: { due_at: '2025-12-29T08:50:00Z' } },
  },
];

const moreEdges: Scenario[] = [
  {
    // Created with status closed: resolution completes at once, just like solved.
    name: 'created as closed completes resolution at once',
    input: { metrics: [RES(60)], events: [ev(z('10:00'), 'created', 'closed')], at: z('12:00') },
    metrics: { resolution: { status: 'completed', completed_at: z('10:00'), breached: false, elapsed_business_minutes: 0, cycles: [cyc(z('10:00'), z('10:00'), 0)] } },
  },
  {
    // resolution 60 solved at 11:30 (90 used, ran out 11:00 → breached), reopened 12:00: the one cycle is
    // open again, due stays the past 11:00, 120 used at 12:30, still breached at 11:00.
    name: 'reopening a breached resolution keeps the past due and the breach',
    input: { metrics: [RES(60)], events: [ev(z('10:00'), 'created'), ev(z('11:30'), 'status', 'solved'), ev(z('12:00'), 'status', 'open')], at: z('12:30') },
    next_due_at: z('11:00'),
    metrics: {
      resolution: { status: 'running', completed_at: null, due_at: z('11:00'), breached: true, breached_at: z('11:00'), elapsed_business_minutes: 120, remaining_business_minutes: -60, cycles: [cyc(z('10:00'), null, 120, true)] },
    },
  },
  {
    // Paused exactly when the target runs out (11:00): a pause is not a completion; the cycle is still
    // open and `at` (12:00) is later than 11:00 → breached.
    name: 'paused exactly at due: open and later than due → breached',
    input: { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('11:00'), 'status', 'pending')], at: z('12:00') },
    metrics: { first_response: { status: 'paused', due_at: null, breached: true, breached_at: z('11:00'), elapsed_business_minutes: 60, remaining_business_minutes: 0 } },
  },
  {
    // Fall-back Sunday 2025-10-26, open around the clock: 01:30 CEST = 23:30Z (Oct 25); the day has 25 h,
    // 120 business min = 2 real hours → 01:30Z = 02:30 CET.
    name: 'fall-back Sunday, 00:00–24:00 daily: business time is real time (25-hour day)',
    input: { calendar: { timezone: 'Europe/Berlin', hours: everyDay([['00:00', '24:00']]) }, metrics: [FR(120)], events: [ev('2025-10-26T01:30:00+02:00', 'created')] },
    metrics: { first_response: { due_at: '2025-10-26T01:30:00Z' } },
  },
  {
    // Sat 2025-03-29 22:00 CET (21:00Z) → Sun 06:00 CEST (04:00Z): the night shift lasts 7 real hours.
    // 420 min → exactly its end, 04:00Z; 421 → next Saturday 04-05 22:00 CEST (20:00Z) + 1 = 20:01Z.
    name: 'overnight shift across the spring-forward night lasts 7 hours',
    input: {
      calendar: { timezone: 'Europe/Berlin', hours: { sat: [['22:00', '06:00']] } },
      metrics: [FR(420), RES(421)],
      events: [ev('2025-03-29T21:00:00Z', 'created')],
    },
    metrics: { first_response: { due_at: '2025-03-30T04:00:00Z' }, resolution: { due_at: '2025-04-05T20:01:00Z' } },
  },
  {
    // America/Santiago springs forward at local midnight 2025-09-07 (00:00 −04 → 01:00 −03): Sunday's 00:00
    // does not exist and moves forward to 01:00 −03 = 04:00Z; 09:00 −03 = 12:00Z → 8 h. At Monday 00:00Z:
    // 480 used; 120 left → next Sunday 09-14 00:00 −03 = 03:00Z + 120 = 05:00Z.
    name: 'DST gap at local midnight (America/Santiago): the day opens at 01:00',
    input: {
      calendar: { timezone: 'America/Santiago', hours: { sun: [['00:00', '09:00']] } },
      metrics: [FR(600)],
      events: [ev('2025-09-06T12:00:00Z', 'created')],
      at: '2025-09-08T00:00:00Z',
    },
    metrics: { first_response: { status: 'running', elapsed_business_minutes: 480, due_at: '2025-09-14T05:00:00Z' } },
  },
];

const groups: [string, Scenario[]][] = [
  ['contract examples', examples],
  ['calendar rules', calendarRules],
  ['holidays', holidayRules],
  ['metric rules', metricRules],
  ['pause statuses', pauseRules],
  ['at, output fields and instants', outputRules],
  ['the contract input sample', contractSample],
  ['more edges', moreEdges],
];

for (const [title, scenarios] of groups) {
  describe(`sla simulator contract: ${title}`, () => {
    it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => check(s));
  });
}

// ------------------------------------------------------------------ invalid input

const valid = () => ({ metrics: [FR(60)], events: [ev(z('10:00'), 'created')] as Ev[] });
const withCalendar = (calendar: unknown) => ({ ...valid(), calendar });

const invalid: [string, unknown, string][] = [
  [
    'events[3].at not an instant',
    { ...valid(), events: [ev(z('10:00'), 'created'), ev(z('10:01'), 'customer_message'), ev(z('10:02'), 'agent_message'), ev('yesterday', 'agent_note')] },
    'events[3].at',
  ],
  ['instant without an offset', { ...valid(), events: [ev(z('10:00'), 'created'), ev('2025-03-10T10:05:00', 'agent_message')] }, 'events[1].at'],
  ['events out of time order', { ...valid(), events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'agent_message'), ev(z('10:20'), 'customer_message')] }, 'events[2].at'],
  ['created twice', { ...valid(), events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'created')] }, 'events[1].type'],
  ['created not first', { ...valid(), events: [ev(z('10:00'), 'customer_message'), ev(z('10:30'), 'created')] }, 'events[0].type'],
  ['unknown event type', { ...valid(), events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'phone_call')] }, 'events[1].type'],
  ['unknown status', { ...valid(), events: [ev(z('10:00'), 'created'), ev(z('10:30'), 'status', 'waiting')] }, 'events[1].status'],
  ['target 0', { ...valid(), metrics: [FR(0)] }, 'metrics[0].target_minutes'],
  ['target not an integer', { ...valid(), metrics: [FR(60), RES(1.5)] }, 'metrics[1].target_minutes'],
  ['target as a string', { ...valid(), metrics: [FR('60' as unknown as number)] }, 'metrics[0].target_minutes'],
  [
    'unknown metric event kind',
    { ...valid(), metrics: [{ name: 'x', target_minutes: 5, start_on: ['created', 'agent_reply'], stop_on: ['agent_message'] }] },
    'metrics[0].start_on[1]',
  ],
  ['unknown status in pause_statuses', { ...valid(), pause_statuses: ['waiting'] }, 'pause_statuses[0]'],
  ['at not an instant', { ...valid(), at: 'now' }, 'at'],
  ['overlapping intervals of one day', withCalendar(utcCal({ mon: [['09:00', '12:00'], ['11:00', '13:00']] })), 'calendar.hours.mon[1]'],
  ['25:00', withCalendar(utcCal({ mon: [['09:00', '25:00']] })), 'calendar.hours.mon[0][1]'],
  ['unknown time zone', withCalendar({ timezone: 'Europe/Atlantis', hours: { mon: [['09:00', '17:00']] } }), 'calendar.timezone'],
  ['no open hours at all', withCalendar(utcCal({ mon: [], sat: [] })), 'calendar.hours'],
  ['invalid holiday date', withCalendar(utcCal({ mon: [['09:00', '17:00']] }, ['2025-02-30'])), 'calendar.holidays[0]'],
];

describe('sla simulator contract: invalid input names the field path', () => {
  it.each(invalid)('%s', (_name, input, path) => {
    const r = runSimulation(JSON.parse(JSON.stringify(input)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.path).toBe(path);
    expect(r.message.startsWith(`${path}: `)).toBe(true);
  });

  it('the contract example message verbatim', () => {
    const r = runSimulation({
      metrics: [FR(60)],
      events: [ev(z('10:00'), 'created'), ev(z('10:01'), 'customer_message'), ev(z('10:02'), 'agent_message'), ev('2025-13-01T00:00:00Z', 'agent_message')],
    });
    expect(r).toMatchObject({ ok: false, path: 'events[3].at', message: 'events[3].at: not an ISO-8601 instant' });
  });
});

// ------------------------------------------------------------------ CLI exit codes

function sink() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function cli(args: string[], stdin: string, files: Record<string, string> = {}) {
  const out = sink();
  const err = sink();
  const code = await slaSimulateCommand(args, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: out.stream,
    stderr: err.stream,
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('sla simulator contract: CLI', () => {
  it('valid input on standard input: result JSON on stdout, exit 0', async () => {
    const r = await cli(['-'], JSON.stringify({ metrics: [FR(60)], events: [ev(z('10:00'), 'created')], at: z('10:30') }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const printed = JSON.parse(r.stdout) as { next_due_at: string; metrics: Record<string, { due_at: string }> };
    expect(printed.next_due_at).toBe(z('11:00'));
    expect(printed.metrics.first_response?.due_at).toBe(z('11:00'));
  });

  it('valid input from a file: exit 0', async () => {
    const r = await cli(['t.json'], '', { 't.json': JSON.stringify({ metrics: [FR(60)], events: [ev(z('10:00'), 'created')] }) });
    expect(r.code).toBe(0);
  });

  it('invalid input: exit 2, stderr names the field path, nothing on stdout', async () => {
    const input = { metrics: [FR(60)], events: [ev(z('10:00'), 'created'), ev(z('10:01'), 'customer_message'), ev(z('10:02'), 'agent_message'), ev('nope', 'agent_note')] };
    const r = await cli(['-'], JSON.stringify(input));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('events[3].at: not an ISO-8601 instant');
  });

  it('invalid JSON: exit 2', async () => {
    const r = await cli(['-'], '{ not json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
