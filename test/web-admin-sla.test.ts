// The SLA admin screens' pure parts: the calendar editor's draft ⇄ spec, the policy editor's units
// ("24 hours" of calendar time vs business hours), ticket replay, and the simulator input it builds.

import { describe, expect, it } from 'vitest';
import { draftOf, isOvernight, specOf, weeklyMinutes } from '../web/src/features/admin/sla-calendars.tsx';
import { policyBody, policyDraft, unitFor } from '../web/src/features/admin/sla-policies.tsx';
import { utcToWall, wallToUtc } from '../web/src/features/admin/sim-time.ts';
import { simulationFor } from '../web/src/features/admin/sla-simulator.tsx';
import type { StoredPolicy } from '../web/src/features/admin/sla-api.ts';

const spec = {
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']] as [string, string][], thu: [['22:00', '06:00']] as [string, string][] },
  holidays: ['2025-12-25', { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }, { ics: 'BEGIN:VCALENDAR' }],
};

describe('calendar editor', () => {
  it('turns a stored calendar into rows and back without losing anything, one holiday row per entry', () => {
    const d = draftOf({ id: 'c', name: 'Berlin', spec });
    expect(d.hours.mon).toHaveLength(2);
    expect(d.hours.tue).toEqual([]);
    expect(d.holidays.map((h) => h.kind)).toEqual(['date', 'date', 'country', 'ics']);
    expect(specOf(d)).toEqual({
      timezone: 'Europe/Berlin',
      hours: spec.hours,
      holidays: [{ date: '2025-12-25' }, { date: '2025-12-24', yearly: true }, { country: 'DE', region: 'BY' }, { ics: 'BEGIN:VCALENDAR' }],
    });
  });

  it('counts an overnight shift into the next day and a split shift as two intervals', () => {
    const d = draftOf({ id: 'c', name: 'Berlin', spec });
    expect(weeklyMinutes(d)).toBe(7 * 60 + 8 * 60);
    expect(isOvernight({ start: '22:00', end: '06:00' })).toBe(true);
    expect(isOvernight({ start: '09:00', end: '24:00' })).toBe(false);
    expect(isOvernight({ start: '09:00', end: '17:00' })).toBe(false);
  });

  it('starts a new calendar open Monday to Friday 09:00–17:00', () => {
    expect(weeklyMinutes(draftOf(null))).toBe(5 * 8 * 60);
  });
});

describe('policy editor', () => {
  const stored: StoredPolicy = {
    id: 'p', name: 'VIP', position: 1, active: true, match: 'all', conditions: [{ field: 'tier', op: 'in', values: ['vip'] }],
    calendar_id: null, pause_statuses: ['pending'],
    metrics: [
      { name: 'first_response', target_minutes: 1440, clock: 'calendar', warn_at_percent: [75], warn_at_minutes_left: [] },
      { name: 'resolution', target_minutes: 4320, targets_by_priority: { urgent: 480 }, warn_at_percent: [], warn_at_minutes_left: [30] },
      { name: 'stage_triage', target_minutes: 90, start_on: ['created'], stop_on: ['status:open'], repeat: false, warn_at_percent: [], warn_at_minutes_left: [] },
    ],
    escalations: [{ after_minutes: 60, action: 'notify_assignee' }, { after_minutes: 2880, action: 'notify_admin' }],
    pending_reminders: null,
  };

  it('shows calendar time in days and business time never in days', () => {
    expect(unitFor([1440], 'calendar')).toBe('days');
    expect(unitFor([4320, 480], 'business')).toBe('hours');
    expect(unitFor([90], 'business')).toBe('minutes');
    const d = policyDraft(stored);
    expect(d.metrics.map((m) => [m.unit, m.targets[''], m.clock])).toEqual([['days', '1', 'calendar'], ['hours', '72', 'business'], ['minutes', '90', 'business']]);
    expect(d.metrics[1]?.targets.urgent).toBe('8');
  });

  it('sends back exactly the stored targets, clocks, thresholds, custom metric rules and ladder', () => {
    const body = policyBody(policyDraft(stored));
    expect(body.metrics).toEqual([
      { name: 'first_response', target_minutes: 1440, clock: 'calendar', warn_at_percent: [75], warn_at_minutes_left: [] },
      { name: 'resolution', target_minutes: 4320, targets_by_priority: { urgent: 480 }, clock: 'business', warn_at_percent: [], warn_at_minutes_left: [30] },
      { name: 'stage_triage', target_minutes: 90, clock: 'business', start_on: ['created'], stop_on: ['status:open'], repeat: false, warn_at_percent: [], warn_at_minutes_left: [] },
    ]);
    expect(body.escalations).toEqual(stored.escalations);
    expect(body.conditions).toEqual(stored.conditions);
    expect(body.pending_reminders).toBeNull();
  });
});

describe('simulator', () => {
  it('reads instants as wall time in the viewer\'s zone and sends UTC, seconds kept (a replayed ticket is to the second)', () => {
    expect(wallToUtc('2025-03-07T16:50', 'Europe/Berlin')).toBe('2025-03-07T15:50:00Z');
    expect(wallToUtc('2025-07-07T16:50:05', 'Europe/Berlin')).toBe('2025-07-07T14:50:05Z');
    expect(wallToUtc('2025-03-07T08:15', 'America/New_York')).toBe('2025-03-07T13:15:00Z');
    expect(wallToUtc('', 'UTC')).toBeNull();
    expect(wallToUtc('soon', 'UTC')).toBeNull();
    expect(utcToWall('2025-03-07T15:50:00Z', 'Europe/Berlin')).toBe('2025-03-07T16:50');
    expect(utcToWall('2025-07-07T14:50:05.000Z', 'Europe/Berlin')).toBe('2025-07-07T16:50:05');
    for (const iso of ['2025-03-30T00:59:59Z', '2025-10-26T01:30:00Z', '2025-12-31T23:00:00Z']) {
      expect(wallToUtc(utcToWall(iso, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(iso);
    }
  });

  it("uses the priority's target, keeps the clock, and leaves out a metric with no target for that priority", () => {
    const input = simulationFor({
      name: 'x', calendar_id: null, pause_statuses: ['pending'],
      metrics: [
        { name: 'first_response', target_minutes: 1440, clock: 'calendar' },
        { name: 'resolution', targets_by_priority: { urgent: 480 } },
      ],
    }, null, 'normal', [{ at: '2025-03-07T15:50:00Z', type: 'created' }], '');
    expect(input.metrics).toEqual([{ name: 'first_response', target_minutes: 1440, clock: 'calendar' }]);
    expect(input).not.toHaveProperty('at');
  });
});
