// Every rule of the contract on a 24/7 calendar (calendar-dependent rules: simulate-calendar.test.ts).
// Expected values are computed by hand and written as literals.

import { describe, expect, it } from 'vitest';
import { ev, metricOf, simulateMetric, simulateOk, t } from './test-helpers.ts';
import type { MetricResult } from './types.ts';

const FR60 = { name: 'first_response', target_minutes: 60 };
const NOT_STARTED: MetricResult = {
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

describe('contract examples on 24/7', () => {
  it('1: first_response 60, created 10:00Z, evaluated 10:30Z → running, due 11:00Z, 30/30', () => {
    const r = simulateOk({ metrics: [FR60], events: [ev('10:00', 'created')], at: t('10:30') });
    expect(r).toEqual({
      at: '2025-03-10T10:30:00Z',
      next_due_at: '2025-03-10T11:00:00Z',
      metrics: {
        first_response: {
          status: 'running',
          started_at: '2025-03-10T10:00:00Z',
          completed_at: null,
          due_at: '2025-03-10T11:00:00Z',
          breached: false,
          breached_at: null,
          elapsed_business_minutes: 30,
          remaining_business_minutes: 30,
          cycles: [{ started_at: '2025-03-10T10:00:00Z', completed_at: null, elapsed_business_minutes: 30, breached: false }],
        },
      },
    });
  });

  it('4: pending 10:15–11:15 is excluded → due 12:00', () => {
    const events = [ev('10:00', 'created'), ev('10:15', 'status', 'pending'), ev('11:15', 'status', 'open')];
    const m = simulateMetric(FR60, events, t('11:30'));
    expect(m).toMatchObject({ status: 'running', due_at: t('12:00'), elapsed_business_minutes: 30, remaining_business_minutes: 30 });
    const paused = simulateMetric(FR60, events, t('10:45'));
    expect(paused).toMatchObject({ status: 'paused', due_at: null, elapsed_business_minutes: 15, remaining_business_minutes: 45 });
  });

  it('6: next_response — reply 10:00, customer 10:05 and 10:20 → one cycle from 10:05, due 12:05', () => {
    const m = simulateMetric(
      { name: 'next_response', target_minutes: 120 },
      [ev('09:00', 'created'), ev('10:00', 'agent_message'), ev('10:05', 'customer_message'), ev('10:20', 'customer_message')],
      t('10:30'),
    );
    expect(m).toEqual({
      status: 'running',
      started_at: t('10:05'),
      completed_at: null,
      due_at: t('12:05'),
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 25,
      remaining_business_minutes: 95,
      cycles: [{ started_at: t('10:05'), completed_at: null, elapsed_business_minutes: 25, breached: false }],
    });
  });

  it('7: resolution 480 solved after 180, reopened next day → resumes with 180 used', () => {
    const metric = { name: 'resolution', target_minutes: 480 };
    const events = [ev('09:00', 'created'), ev('12:00', 'status', 'solved'), ev('09:00', 'status', 'open', '2025-03-11')];
    expect(simulateMetric(metric, events, t('18:00'))).toEqual({
      status: 'completed',
      started_at: t('09:00'),
      completed_at: t('12:00'),
      due_at: null,
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 180,
      remaining_business_minutes: 300,
      cycles: [{ started_at: t('09:00'), completed_at: t('12:00'), elapsed_business_minutes: 180, breached: false }],
    });
    // 24/7: the night between counts again only after the reopen, so at day-2 09:00 exactly 180 are used.
    expect(simulateMetric(metric, events, t('09:00', '2025-03-11'))).toMatchObject({
      status: 'running',
      completed_at: null,
      elapsed_business_minutes: 180,
      due_at: t('14:00', '2025-03-11'),
    });
    expect(simulateMetric(metric, events, t('10:00', '2025-03-11'))).toMatchObject({
      elapsed_business_minutes: 240,
      remaining_business_minutes: 240,
      cycles: [{ started_at: t('09:00'), completed_at: null, elapsed_business_minutes: 240, breached: false }],
    });
  });
});

describe('first_response', () => {
  it.each([
    ['agent_message stops it', 'agent_message', 'completed', 30],
    ['agent_note never stops it', 'agent_note', 'running', 45],
    ['auto_message never stops it', 'auto_message', 'running', 45],
    ['a customer message does not stop it', 'customer_message', 'running', 45],
  ])('%s', (_label, type, status, elapsed) => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:30', type)], t('10:45'));
    expect(m.status).toBe(status);
    expect(m.elapsed_business_minutes).toBe(elapsed);
  });

  it('only the first agent message counts: one cycle ever', () => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:10', 'agent_message'), ev('10:20', 'customer_message'), ev('10:30', 'agent_message')], t('11:00'));
    expect(m.cycles).toEqual([{ started_at: t('10:00'), completed_at: t('10:10'), elapsed_business_minutes: 10, breached: false }]);
  });

  it('an agent message while paused still stops it', () => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:10', 'status', 'pending'), ev('10:40', 'agent_message')], t('11:00'));
    expect(m).toMatchObject({ status: 'completed', completed_at: t('10:40'), elapsed_business_minutes: 10, remaining_business_minutes: 50 });
  });

  it('an agent message at the created instant completes it with 0 elapsed', () => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:00', 'agent_message')]);
    expect(m).toMatchObject({ status: 'completed', started_at: t('10:00'), completed_at: t('10:00'), elapsed_business_minutes: 0, remaining_business_minutes: 60 });
  });
});

describe('breach semantics (wall clock, strictly later)', () => {
  const created = ev('10:00', 'created');
  it.each([
    ['completing exactly at the due instant is not a breach', [ev('11:00', 'agent_message')], t('12:00'), { status: 'completed', breached: false, breached_at: null, elapsed_business_minutes: 60, remaining_business_minutes: 0 }],
    ['completing one second late is a breach at the due instant', [ev('11:00:01', 'agent_message')], t('12:00'), { status: 'completed', breached: true, breached_at: t('11:00'), elapsed_business_minutes: 60, remaining_business_minutes: 0 }],
    ['completing late by 30 min', [ev('11:30', 'agent_message')], t('12:00'), { status: 'completed', breached: true, breached_at: t('11:00'), elapsed_business_minutes: 90, remaining_business_minutes: -30 }],
    ['open and evaluated exactly at due: not yet breached', [], t('11:00'), { status: 'running', due_at: t('11:00'), breached: false, breached_at: null, remaining_business_minutes: 0 }],
    ['open and evaluated after due: breached, due stays in the past', [], t('11:00:01'), { status: 'running', due_at: t('11:00'), breached: true, breached_at: t('11:00') }],
    ['paused after the target ran out: still breached', [ev('11:30', 'status', 'pending')], t('12:00'), { status: 'paused', due_at: null, breached: true, breached_at: t('11:00'), elapsed_business_minutes: 90 }],
    ['paused before the target ran out: not breached', [ev('10:50', 'status', 'pending')], t('12:00'), { status: 'paused', due_at: null, breached: false, breached_at: null, elapsed_business_minutes: 50, remaining_business_minutes: 10 }],
    ['paused exactly when the target ran out: breached once `at` is later', [ev('11:00', 'status', 'pending')], t('12:00'), { status: 'paused', breached: true, breached_at: t('11:00'), elapsed_business_minutes: 60 }],
    ['resumed after overdue: due keeps the instant it ran out', [ev('11:30', 'status', 'pending'), ev('12:00', 'status', 'open')], t('12:30'), { status: 'running', due_at: t('11:00'), breached: true, breached_at: t('11:00'), elapsed_business_minutes: 120, remaining_business_minutes: -60 }],
  ])('%s', (_label, later, at, expected) => {
    expect(simulateMetric(FR60, [created, ...later], at)).toMatchObject(expected);
  });

  it('elapsed rounds down to whole minutes', () => {
    expect(simulateMetric(FR60, [created], t('10:00:59'))).toMatchObject({ elapsed_business_minutes: 0, remaining_business_minutes: 60 });
    expect(simulateMetric(FR60, [created], '2025-03-10T10:01:59.999Z')).toMatchObject({ elapsed_business_minutes: 1 });
  });
});

describe('pause statuses', () => {
  const events = [ev('10:00', 'created'), ev('10:30', 'status', 'pending'), ev('10:40', 'status', 'on_hold')];
  const run = (metrics: unknown[], extra: Record<string, unknown> = {}) => simulateOk({ metrics, events, at: t('11:00'), ...extra });

  it('default top-level list is ["pending"]', () => {
    const r = run([FR60]);
    // pending 10:30–10:40 paused; on_hold is not a pause status by default.
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 50 });
  });

  it('a metric override replaces the top-level list for that metric only', () => {
    const r = run([FR60, { name: 'resolution', target_minutes: 960, pause_statuses: ['on_hold'] }]);
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 50 });
    expect(metricOf(r, 'resolution')).toMatchObject({ status: 'paused', elapsed_business_minutes: 40, due_at: null });
  });

  it('[] on a metric means never paused', () => {
    const r = run([{ ...FR60, pause_statuses: [] }]);
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 60 });
  });

  it('the top-level list applies to every metric without an override', () => {
    const r = run([FR60, { name: 'periodic_update', target_minutes: 480 }], { pause_statuses: ['pending', 'on_hold'] });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'paused', elapsed_business_minutes: 30 });
    expect(metricOf(r, 'periodic_update')).toMatchObject({ status: 'paused', elapsed_business_minutes: 30 });
  });

  it('top-level [] pauses nothing', () => {
    const r = run([FR60], { pause_statuses: [] });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 60 });
  });

  it('a pause and a resume at the same instant accrue nothing in between', () => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:30', 'status', 'pending'), ev('10:30', 'status', 'open')], t('10:45'));
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 45, due_at: t('11:00') });
  });

  it('a status event to the same status changes nothing', () => {
    const m = simulateMetric(FR60, [ev('10:00', 'created'), ev('10:10', 'status', 'pending'), ev('10:20', 'status', 'pending')], t('10:45'));
    expect(m).toMatchObject({ status: 'paused', elapsed_business_minutes: 10 });
  });
});

describe('solved and closed', () => {
  const metrics = [
    FR60,
    { name: 'next_response', target_minutes: 120 },
    { name: 'periodic_update', target_minutes: 480 },
    { name: 'resolution', target_minutes: 960 },
    { name: 'custom', target_minutes: 30, start_on: ['created'], stop_on: ['agent_message'] },
  ];

  it.each(['solved', 'closed'])('%s pauses every metric but resolution, which completes', (done) => {
    const r = simulateOk({ metrics, events: [ev('10:00', 'created'), ev('10:30', 'status', done)], at: t('11:00') });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'paused', elapsed_business_minutes: 30, due_at: null });
    expect(metricOf(r, 'next_response')).toEqual(NOT_STARTED);
    expect(metricOf(r, 'periodic_update')).toMatchObject({ status: 'paused', elapsed_business_minutes: 30 });
    // custom 30 used its target up exactly at the solve (10:30): the pause does not complete it, so
    // at 11:00 it is breached (only completing exactly at the due instant escapes a breach).
    expect(metricOf(r, 'custom')).toMatchObject({ status: 'paused', elapsed_business_minutes: 30, breached: true, breached_at: t('10:30') });
    expect(metricOf(r, 'resolution')).toMatchObject({ status: 'completed', completed_at: t('10:30'), elapsed_business_minutes: 30, remaining_business_minutes: 930, due_at: null });
    expect(r.next_due_at).toBeNull();
  });

  it('leaving solved resumes the paused metrics and reopens resolution', () => {
    const r = simulateOk({
      metrics,
      events: [ev('10:00', 'created'), ev('10:30', 'status', 'solved'), ev('11:00', 'status', 'open')],
      at: t('11:15'),
    });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 45, due_at: t('11:30') });
    expect(metricOf(r, 'resolution')).toMatchObject({ status: 'running', completed_at: null, elapsed_business_minutes: 45, due_at: t('02:30', '2025-03-11') });
    expect(metricOf(r, 'resolution').cycles).toHaveLength(1);
    // custom 30: ran 10:00–10:30 (used up exactly at the solve), then resumed at 11:00.
    expect(metricOf(r, 'custom')).toMatchObject({ status: 'running', due_at: t('10:30'), breached: true, breached_at: t('10:30') });
    expect(r.next_due_at).toBe(t('10:30'));
  });

  it('solved → closed keeps the first completion; reopening from closed to pending reopens but pauses', () => {
    const m = simulateMetric(
      { name: 'resolution', target_minutes: 960 },
      [ev('10:00', 'created'), ev('10:30', 'status', 'solved'), ev('10:40', 'status', 'closed')],
      t('11:00'),
    );
    expect(m).toMatchObject({ status: 'completed', completed_at: t('10:30'), elapsed_business_minutes: 30 });
    const reopened = simulateMetric(
      { name: 'resolution', target_minutes: 960 },
      [ev('10:00', 'created'), ev('10:30', 'status', 'solved'), ev('10:40', 'status', 'closed'), ev('10:50', 'status', 'pending')],
      t('11:00'),
    );
    expect(reopened).toMatchObject({ status: 'paused', completed_at: null, elapsed_business_minutes: 30, due_at: null });
  });

  it('resolution completes on solved even if its pause list names solved', () => {
    const m = simulateMetric({ name: 'resolution', target_minutes: 960, pause_statuses: ['solved'] }, [ev('10:00', 'created'), ev('10:30', 'status', 'solved')], t('11:00'));
    expect(m).toMatchObject({ status: 'completed', completed_at: t('10:30') });
  });

  it('a resolution completed late is breached; reopening keeps the target-ran-out instant', () => {
    const metric = { name: 'resolution', target_minutes: 60 };
    const late = simulateMetric(metric, [ev('10:00', 'created'), ev('11:30', 'status', 'solved')], t('12:00'));
    expect(late).toMatchObject({ status: 'completed', breached: true, breached_at: t('11:00'), elapsed_business_minutes: 90, remaining_business_minutes: -30 });
    const reopened = simulateMetric(metric, [ev('10:00', 'created'), ev('11:30', 'status', 'solved'), ev('12:00', 'status', 'open')], t('12:10'));
    expect(reopened).toMatchObject({ status: 'running', breached: true, breached_at: t('11:00'), due_at: t('11:00'), elapsed_business_minutes: 100 });
  });

  it.each(['solved', 'closed'])('created as %s completes resolution at once and pauses the others', (done) => {
    const r = simulateOk({ metrics, events: [ev('10:00', 'created', done)], at: t('11:00') });
    expect(metricOf(r, 'resolution')).toEqual({
      status: 'completed',
      started_at: t('10:00'),
      completed_at: t('10:00'),
      due_at: null,
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 0,
      remaining_business_minutes: 960,
      cycles: [{ started_at: t('10:00'), completed_at: t('10:00'), elapsed_business_minutes: 0, breached: false }],
    });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'paused', started_at: t('10:00'), elapsed_business_minutes: 0 });
    expect(metricOf(r, 'periodic_update')).toMatchObject({ status: 'paused', elapsed_business_minutes: 0 });
    expect(metricOf(r, 'custom')).toMatchObject({ status: 'paused', elapsed_business_minutes: 0 });
    expect(r.next_due_at).toBeNull();
  });

  it('created as solved then reopened: resolution resumes from 0', () => {
    const m = simulateMetric({ name: 'resolution', target_minutes: 960 }, [ev('10:00', 'created', 'solved'), ev('11:00', 'status', 'new')], t('12:00'));
    expect(m).toMatchObject({ status: 'running', completed_at: null, elapsed_business_minutes: 60 });
    expect(m.cycles).toHaveLength(1);
  });

  it('created with status pending starts paused; the default status is new', () => {
    expect(simulateMetric(FR60, [ev('10:00', 'created', 'pending')], t('11:00'))).toMatchObject({ status: 'paused', elapsed_business_minutes: 0 });
    expect(simulateMetric(FR60, [ev('10:00', 'created')], t('10:10'))).toMatchObject({ status: 'running', elapsed_business_minutes: 10 });
  });
});

describe('next_response', () => {
  const NR = { name: 'next_response', target_minutes: 120 };
  it('a customer message before the first agent reply does not start it', () => {
    expect(simulateMetric(NR, [ev('10:00', 'created'), ev('10:10', 'customer_message')], t('10:30'))).toEqual(NOT_STARTED);
  });

  it('same instant: a customer message before the first agent message in event order does not start it', () => {
    const m = simulateMetric(NR, [ev('10:00', 'created'), ev('10:10', 'customer_message'), ev('10:10', 'agent_message')], t('10:30'));
    expect(m).toEqual(NOT_STARTED);
  });

  it('same instant: a customer message after the first agent message starts it', () => {
    const m = simulateMetric(NR, [ev('10:00', 'created'), ev('10:10', 'agent_message'), ev('10:10', 'customer_message')], t('10:30'));
    expect(m).toMatchObject({ status: 'running', started_at: t('10:10'), elapsed_business_minutes: 20, due_at: t('12:10') });
  });

  it('auto_message and agent_note are not the first reply', () => {
    const m = simulateMetric(NR, [ev('10:00', 'created'), ev('10:01', 'auto_message'), ev('10:02', 'agent_note'), ev('10:05', 'customer_message')], t('10:30'));
    expect(m).toEqual(NOT_STARTED);
  });

  it('the next agent message stops it; a later customer message opens a new cycle', () => {
    const m = simulateMetric(
      NR,
      [ev('09:00', 'created'), ev('10:00', 'agent_message'), ev('10:05', 'customer_message'), ev('10:30', 'agent_note'), ev('10:40', 'agent_message'), ev('11:00', 'customer_message')],
      t('11:10'),
    );
    expect(m).toMatchObject({ status: 'running', started_at: t('11:00'), elapsed_business_minutes: 10, due_at: t('13:00') });
    expect(m.cycles).toEqual([
      { started_at: t('10:05'), completed_at: t('10:40'), elapsed_business_minutes: 35, breached: false },
      { started_at: t('11:00'), completed_at: null, elapsed_business_minutes: 10, breached: false },
    ]);
  });

  it('a customer message while paused opens a paused cycle; a second one does not restart it', () => {
    const m = simulateMetric(
      NR,
      [ev('09:00', 'created'), ev('10:00', 'agent_message'), ev('10:01', 'status', 'pending'), ev('10:05', 'customer_message'), ev('10:20', 'status', 'open'), ev('10:25', 'customer_message')],
      t('10:30'),
    );
    expect(m).toMatchObject({ status: 'running', started_at: t('10:05'), elapsed_business_minutes: 10, due_at: t('12:20') });
    expect(m.cycles).toHaveLength(1);
  });
});

describe('periodic_update', () => {
  const PU = { name: 'periodic_update', target_minutes: 60 };
  it('every agent message completes the cycle and starts a new one', () => {
    const m = simulateMetric(PU, [ev('10:00', 'created'), ev('10:30', 'agent_message'), ev('10:45', 'agent_note'), ev('11:00', 'agent_message')], t('11:20'));
    expect(m).toMatchObject({ status: 'running', started_at: t('11:00'), completed_at: null, elapsed_business_minutes: 20, due_at: t('12:00') });
    expect(m.cycles).toEqual([
      { started_at: t('10:00'), completed_at: t('10:30'), elapsed_business_minutes: 30, breached: false },
      { started_at: t('10:30'), completed_at: t('11:00'), elapsed_business_minutes: 30, breached: false },
      { started_at: t('11:00'), completed_at: null, elapsed_business_minutes: 20, breached: false },
    ]);
  });

  it('an agent message while paused completes the paused cycle and opens a new paused one', () => {
    const m = simulateMetric(PU, [ev('10:00', 'created'), ev('10:10', 'status', 'pending'), ev('10:20', 'agent_message'), ev('10:40', 'status', 'open')], t('11:00'));
    expect(m.cycles).toEqual([
      { started_at: t('10:00'), completed_at: t('10:20'), elapsed_business_minutes: 10, breached: false },
      { started_at: t('10:20'), completed_at: null, elapsed_business_minutes: 20, breached: false },
    ]);
    expect(m).toMatchObject({ status: 'running', due_at: t('11:40') });
    const stillPaused = simulateMetric(PU, [ev('10:00', 'created'), ev('10:10', 'status', 'pending'), ev('10:20', 'agent_message')], t('11:00'));
    expect(stillPaused).toMatchObject({ status: 'paused', started_at: t('10:20'), elapsed_business_minutes: 0, due_at: null });
  });

  it('a late update is breached on its own cycle; the metric reports the new open cycle', () => {
    const m = simulateMetric(PU, [ev('10:00', 'created'), ev('11:30', 'agent_message')], t('11:40'));
    expect(m.cycles[0]).toEqual({ started_at: t('10:00'), completed_at: t('11:30'), elapsed_business_minutes: 90, breached: true });
    expect(m).toMatchObject({ status: 'running', breached: false, breached_at: null, started_at: t('11:30'), due_at: t('12:30') });
  });

  it('is paused (not stopped) while solved', () => {
    const m = simulateMetric(PU, [ev('10:00', 'created'), ev('10:20', 'status', 'solved')], t('11:00'));
    expect(m).toMatchObject({ status: 'paused', elapsed_business_minutes: 20 });
  });
});

describe('custom metrics', () => {
  const base = { name: 'customer_update', target_minutes: 60, start_on: ['customer_message'], stop_on: ['agent_message'] };
  const events = [ev('10:00', 'created'), ev('10:10', 'customer_message'), ev('10:20', 'agent_message'), ev('10:30', 'customer_message')];

  it('repeat defaults to false: only one cycle ever', () => {
    const m = simulateMetric(base, events, t('10:40'));
    expect(m).toMatchObject({ status: 'completed', started_at: t('10:10'), completed_at: t('10:20'), elapsed_business_minutes: 10, due_at: null });
    expect(m.cycles).toHaveLength(1);
  });

  it('repeat: a later start event opens a new cycle', () => {
    const m = simulateMetric({ ...base, repeat: true }, events, t('10:40'));
    expect(m.cycles).toEqual([
      { started_at: t('10:10'), completed_at: t('10:20'), elapsed_business_minutes: 10, breached: false },
      { started_at: t('10:30'), completed_at: null, elapsed_business_minutes: 10, breached: false },
    ]);
    expect(m).toMatchObject({ status: 'running', due_at: t('11:30') });
  });

  it('a start event while a cycle is open changes nothing', () => {
    const m = simulateMetric({ ...base, repeat: true }, [ev('10:00', 'created'), ev('10:10', 'customer_message'), ev('10:20', 'customer_message')], t('10:30'));
    expect(m.cycles).toEqual([{ started_at: t('10:10'), completed_at: null, elapsed_business_minutes: 20, breached: false }]);
  });

  it('an event in both lists stops the open cycle, then opens a new one (repeat)', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['customer_message', 'agent_message'], repeat: true };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'customer_message')], t('10:20'));
    expect(m.cycles).toEqual([
      { started_at: t('10:00'), completed_at: t('10:10'), elapsed_business_minutes: 10, breached: false },
      { started_at: t('10:10'), completed_at: null, elapsed_business_minutes: 10, breached: false },
    ]);
  });

  it('an event in both lists without repeat only stops (one cycle ever)', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['created', 'customer_message'], stop_on: ['customer_message'] };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'customer_message')], t('10:20'));
    expect(m).toMatchObject({ status: 'completed', completed_at: t('10:10') });
    expect(m.cycles).toHaveLength(1);
  });

  it('an event in both lists with no open cycle just opens one', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['customer_message'], stop_on: ['customer_message'] };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'customer_message')], t('10:20'));
    expect(m).toMatchObject({ status: 'running', started_at: t('10:10'), elapsed_business_minutes: 10 });
  });

  it('the created event is only of kind created, whatever its status', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['status:new'], stop_on: [] };
    expect(simulateMetric(metric, [ev('10:00', 'created', 'new')], t('10:20'))).toEqual(NOT_STARTED);
    // A status event to the status the ticket already has is still of kind status:new.
    expect(simulateMetric(metric, [ev('10:00', 'created', 'new'), ev('10:05', 'status', 'new')], t('10:20'))).toMatchObject({ status: 'running', started_at: t('10:05') });
  });

  it('status:<s> kinds start and stop; a stop on status:solved completes instead of pausing', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['status:open'], stop_on: ['status:solved'] };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'status', 'open'), ev('10:30', 'status', 'solved')], t('11:00'));
    expect(m).toMatchObject({ status: 'completed', started_at: t('10:10'), completed_at: t('10:30'), elapsed_business_minutes: 20 });
  });

  it('notes and automatic messages match no kind', () => {
    const metric = { name: 'c', target_minutes: 60, start_on: ['created'], stop_on: ['agent_message'] };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'agent_note'), ev('10:20', 'auto_message')], t('10:30'));
    expect(m).toMatchObject({ status: 'running', elapsed_business_minutes: 30 });
  });

  it('custom metrics follow their own pause override', () => {
    const metric = { ...base, start_on: ['created'], pause_statuses: ['on_hold'] };
    const m = simulateMetric(metric, [ev('10:00', 'created'), ev('10:10', 'status', 'pending'), ev('10:20', 'status', 'on_hold')], t('10:30'));
    expect(m).toMatchObject({ status: 'paused', elapsed_business_minutes: 20 });
  });
});

describe('evaluation instant', () => {
  const metrics = [FR60, { name: 'resolution', target_minutes: 960 }, { name: 'next_response', target_minutes: 120 }];
  const events = [ev('10:00', 'created'), ev('10:30', 'agent_message'), ev('10:40', 'customer_message')];

  it('defaults to the last event', () => {
    const r = simulateOk({ metrics, events });
    expect(r.at).toBe(t('10:40'));
    expect(metricOf(r, 'next_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 0, due_at: t('12:40') });
    expect(r.next_due_at).toBe(t('12:40'));
  });

  it('before created: every metric not_started', () => {
    const r = simulateOk({ metrics, events, at: t('09:00') });
    expect(r).toEqual({ at: t('09:00'), next_due_at: null, metrics: { first_response: NOT_STARTED, resolution: NOT_STARTED, next_response: NOT_STARTED } });
  });

  it('exactly at created: started with 0 elapsed', () => {
    const r = simulateOk({ metrics, events, at: t('10:00') });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', elapsed_business_minutes: 0, due_at: t('11:00') });
  });

  it('between events: later events are ignored', () => {
    const r = simulateOk({ metrics, events, at: t('10:15') });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'running', completed_at: null, elapsed_business_minutes: 15 });
    expect(metricOf(r, 'next_response')).toEqual(NOT_STARTED);
    expect(r.next_due_at).toBe(t('11:00'));
  });

  it('an event exactly at `at` is applied', () => {
    const r = simulateOk({ metrics, events, at: t('10:30') });
    expect(metricOf(r, 'first_response')).toMatchObject({ status: 'completed', completed_at: t('10:30') });
  });

  it('is printed in UTC whatever the input offset', () => {
    const r = simulateOk({ metrics, events, at: '2025-03-10T12:15:00+02:00' });
    expect(r.at).toBe(t('10:15'));
  });

  it('next_due_at is the earliest due, even a past one', () => {
    const r = simulateOk({ metrics: [FR60, { name: 'resolution', target_minutes: 90 }], events: [ev('10:00', 'created')], at: t('11:10') });
    expect(r.next_due_at).toBe(t('11:00'));
  });

  it('results keep the input metric order and every field', () => {
    const r = simulateOk({ metrics, events });
    expect(Object.keys(r)).toEqual(['at', 'next_due_at', 'metrics']);
    expect(Object.keys(r.metrics)).toEqual(['first_response', 'resolution', 'next_response']);
    for (const m of Object.values(r.metrics)) {
      expect(Object.keys(m)).toEqual(['status', 'started_at', 'completed_at', 'due_at', 'breached', 'breached_at', 'elapsed_business_minutes', 'remaining_business_minutes', 'cycles']);
    }
  });
});

describe('entry points', () => {
  it('simulateSla reuses an already-compiled calendar and equals runSimulation', async () => {
    const { parseSimulationInput } = await import('./simulation-schema.ts');
    const { simulateSla } = await import('./simulate.ts');
    const raw = { metrics: [FR60], events: [ev('10:00', 'created')], at: t('10:30') };
    const parsed = parseSimulationInput(raw);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(simulateSla(parsed.value, parsed.calendar)).toEqual(simulateOk(raw));
    expect(simulateSla(parsed.value)).toEqual(simulateOk(raw));
  });

  it('a metric pause_statuses of null inherits the top-level list', () => {
    const m = simulateMetric({ ...FR60, pause_statuses: null }, [ev('10:00', 'created'), ev('10:10', 'status', 'pending')], t('10:30'));
    expect(m).toMatchObject({ status: 'paused', elapsed_business_minutes: 10 });
  });
});
