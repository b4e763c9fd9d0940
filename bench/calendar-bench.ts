// Benchmarks Replyby's business calendar against moment-business-time (with moment-timezone) on
// Mon–Fri 09:00–17:00 Europe/Berlin, checking every result of one against the other.
//
// "Equal" means the same UTC epoch millisecond. Both libraries use earliest-instant semantics for
// adds (a due landing on 17:00 stays 17:00) and both move a start outside hours (weekend, night,
// exactly 17:00) to the next opening, so no normalisation is applied to either side. Betweens are
// compared in milliseconds: workingDiff(…, 'milliseconds') is exact, whereas
// workingDiff(…, 'minutes') sums per-day float fractions and truncates, so 2705 exact minutes can
// come out as 2704.9999999999995 → 2704. That peer bug is counted and shown separately below.

import { prng } from '../src/core/prng.ts';
import { createRequire } from 'node:module';
import { compileCalendar } from '../src/core/calendar/index.ts';
import type { CalendarSpec } from '../src/core/calendar/index.ts';

// date-holidays (imported by the calendar) bundles moment-timezone 0.5.48, and every
// moment-timezone copy re-patches the one shared `moment` when it loads: the last one loaded wins.
// Loading the project's moment-timezone after the calendar makes the peer run on it, not on 0.5.48
// (which, e.g., resolves a DST-gap "02:30" backwards to 01:30).
const { default: moment } = await import('moment-timezone');
// Untyped CommonJS plugin, loaded for its side effect on `moment`.
createRequire(import.meta.url)('moment-business-time');

declare module 'moment' {
  interface Moment {
    addWorkingTime(amount: number, unit: 'minutes'): Moment;
    workingDiff(other: Moment, unit: 'minutes' | 'milliseconds', precise?: boolean): number;
  }
}

const ZONE = 'Europe/Berlin';
const OPS = 100_000;
// The peer is ~100× slower per op, so it gets fewer warm-up ops for a similar JIT warm-up time.
const WARMUP_REPLYBY = 200_000;
const WARMUP_PEER = 10_000;
const ADD_MINUTES = 480;
const MIN = 60_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_END = Date.UTC(2026, 0, 1);

const spec: CalendarSpec = {
  timezone: ZONE,
  hours: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  },
};

moment.updateLocale('en', {
  workinghours: {
    0: null,
    1: ['09:00:00', '17:00:00'],
    2: ['09:00:00', '17:00:00'],
    3: ['09:00:00', '17:00:00'],
    4: ['09:00:00', '17:00:00'],
    5: ['09:00:00', '17:00:00'],
    6: null,
  },
  holidays: [],
});


// The weekends of the two DST changes in 2025, Saturday 00:00 to Monday 12:00 local.
const DST_WEEKENDS = [Date.parse('2025-03-29T00:00:00+01:00'), Date.parse('2025-10-25T00:00:00+02:00')];
const DST_WEEKEND_SECONDS = 60 * 3600;

/**
 * Start instants across 2025 (both DST changes), in whole seconds. One in eight sits exactly on
 * 09:00 or 17:00 local and one in sixteen on a DST-change weekend, so boundaries are compared too.
 */
function makeStarts(count: number, seed: number): Float64Array {
  const random = prng(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = random();
    const t = YEAR_START + Math.floor(random() * ((YEAR_END - YEAR_START) / 1000)) * 1000;
    if (r < 0.125) out[i] = moment.tz(t, ZONE).startOf('day').hour(random() < 0.5 ? 9 : 17).valueOf();
    else if (r < 0.1875) out[i] = (DST_WEEKENDS[i % 2] ?? 0) + Math.floor(random() * DST_WEEKEND_SECONDS) * 1000;
    else out[i] = t;
  }
  return out;
}

type Timed = { results: Float64Array; ms: number };

function time(count: number, run: (i: number) => number): Timed {
  const results = new Float64Array(count);
  const begin = process.hrtime.bigint();
  for (let i = 0; i < count; i++) results[i] = run(i);
  const ms = Number(process.hrtime.bigint() - begin) / 1e6;
  return { results, ms };
}

const iso = (t: number): string => new Date(t).toISOString();
const local = (t: number): string => moment.tz(t, ZONE).format('ddd YYYY-MM-DD HH:mm:ss.SSS Z');
const opsPerSecond = (timed: Timed, count: number): number => Math.round(count / (timed.ms / 1000));
const fmt = (n: number): string => n.toLocaleString('en-US');

const calendar = compileCalendar(spec);
const replybyAdd = (t: number): number => calendar.addBusinessMs(t, ADD_MINUTES * MIN);
const peerAdd = (t: number): number => moment.tz(t, ZONE).addWorkingTime(ADD_MINUTES, 'minutes').valueOf();
const replybyBetween = (a: number, b: number): number => calendar.businessMsBetween(a, b);
const peerBetween = (a: number, b: number): number => moment.tz(b, ZONE).workingDiff(moment.tz(a, ZONE), 'milliseconds');
const peerWholeMinutes = (a: number, b: number): number => moment.tz(b, ZONE).workingDiff(moment.tz(a, ZONE), 'minutes');

function compare(label: string, inputs: (i: number) => string, ours: Float64Array, theirs: Float64Array, show: (v: number) => string): number {
  let disagreements = 0;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] === theirs[i]) continue;
    disagreements++;
    if (disagreements <= 5) {
      console.log(`  ${label} disagreement #${disagreements}: ${inputs(i)} → replyby ${show(ours[i] ?? NaN)}, moment-business-time ${show(theirs[i] ?? NaN)}`);
    }
  }
  return disagreements;
}

function report(name: string, ours: Timed, theirs: Timed, count: number): { ours: number; theirs: number } {
  const o = opsPerSecond(ours, count);
  const p = opsPerSecond(theirs, count);
  console.log(`  replyby               ${ours.ms.toFixed(1).padStart(10)} ms  ${fmt(o).padStart(12)} ops/s`);
  console.log(`  moment-business-time  ${theirs.ms.toFixed(1).padStart(10)} ms  ${fmt(p).padStart(12)} ops/s`);
  console.log(`  ${name}: replyby is ${(o / p).toFixed(1)}× faster`);
  return { ours: o, theirs: p };
}

// ---- add 480 business minutes ----
const starts = makeStarts(OPS, 0x5eed);
const warm = makeStarts(WARMUP_REPLYBY, 0xbeef);
for (let i = 0; i < WARMUP_REPLYBY; i++) replybyAdd(warm[i] ?? 0);
for (let i = 0; i < WARMUP_PEER; i++) peerAdd(warm[i] ?? 0);

console.log(`calendar-bench: peer = moment-business-time with moment-timezone ${moment.tz.version} (tz data ${moment.tz.dataVersion})`);
console.log(`calendar-bench: add ${ADD_MINUTES} business minutes × ${fmt(OPS)} (Mon–Fri 09:00–17:00 ${ZONE}, starts across 2025)`);
const oursAdd = time(OPS, (i) => replybyAdd(starts[i] ?? 0));
const theirsAdd = time(OPS, (i) => peerAdd(starts[i] ?? 0));
const addOps = report('add', oursAdd, theirsAdd, OPS);
const addDisagreements = compare('add', (i) => `start ${local(starts[i] ?? 0)}`, oursAdd.results, theirsAdd.results, (v) => `${iso(v)} (${local(v)})`);
console.log(`  agreement: ${fmt(OPS - addDisagreements)}/${fmt(OPS)} (${addDisagreements} disagreements)`);

// ---- business minutes between ----
const random = prng(0xd1ff);
const ends = new Float64Array(OPS);
for (let i = 0; i < OPS; i++) ends[i] = (starts[i] ?? 0) + Math.floor(random() * 14 * 24 * 3600) * 1000;
for (let i = 0; i < WARMUP_REPLYBY; i++) replybyBetween(warm[i] ?? 0, (warm[i] ?? 0) + 3 * 86_400_000);
for (let i = 0; i < WARMUP_PEER; i++) peerBetween(warm[i] ?? 0, (warm[i] ?? 0) + 3 * 86_400_000);
console.log(`calendar-bench: business minutes between × ${fmt(OPS)} (spans up to 14 days)`);
const oursBetween = time(OPS, (i) => replybyBetween(starts[i] ?? 0, ends[i] ?? 0));
const theirsBetween = time(OPS, (i) => peerBetween(starts[i] ?? 0, ends[i] ?? 0));
report('between', oursBetween, theirsBetween, OPS);
const betweenDisagreements = compare(
  'between',
  (i) => `${local(starts[i] ?? 0)} → ${local(ends[i] ?? 0)}`,
  oursBetween.results,
  theirsBetween.results,
  (v) => `${v} ms`,
);
console.log(`  agreement: ${fmt(OPS - betweenDisagreements)}/${fmt(OPS)} (${betweenDisagreements} disagreements, compared to the millisecond)`);

// Not counted as disagreements: a float-rounding bug of the peer's whole-minute unit.
const SUBSET = 20_000;
let truncationBugs = 0;
let firstBug = '';
for (let i = 0; i < SUBSET; i++) {
  const a = starts[i] ?? 0;
  const b = ends[i] ?? 0;
  const exact = Math.floor(calendar.businessMsBetween(a, b) / MIN);
  const peer = peerWholeMinutes(a, b);
  if (peer !== exact) {
    truncationBugs++;
    if (firstBug === '') firstBug = `${local(a)} → ${local(b)}: exact ${exact} min, workingDiff(…, 'minutes') ${peer}`;
  }
}
console.log(`  peer bug: workingDiff(…, 'minutes') is a minute short in ${truncationBugs}/${fmt(SUBSET)} cases (float sum truncated)`);
if (firstBug !== '') console.log(`    e.g. ${firstBug}`);

const ratio = addOps.ours / addOps.theirs;
console.log(
  `calendar-bench: replyby_ops=${addOps.ours} peer_ops=${addOps.theirs} ratio=${ratio.toFixed(1)} disagreements=${addDisagreements + betweenDisagreements}`,
);
