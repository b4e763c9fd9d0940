import { describe, expect, it } from 'vitest';
import { parseSimulationInput } from './simulation-schema.ts';

const CREATED = { at: '2025-03-10T10:00:00Z', type: 'created' };
const OFFICE = { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] } };
const valid = (over: Record<string, unknown> = {}) => ({
  metrics: [{ name: 'first_response', target_minutes: 60 }],
  events: [CREATED, { at: '2025-03-10T10:05:00Z', type: 'customer_message' }],
  ...over,
});
const withMetric = (metric: Record<string, unknown>) => valid({ metrics: [metric] });
const withEvents = (...events: unknown[]) => valid({ events });

describe('parseSimulationInput rejects with the first offending path', () => {
  it.each<[string, unknown, string]>([
    ['not an object', [], ''],
    ['null', null, ''],
    ['calendar not an object', valid({ calendar: 'Europe/Berlin' }), 'calendar'],
    ['overlapping intervals', valid({ calendar: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '13:00'], ['12:00', '17:00']] } } }), 'calendar.hours.mon[1]'],
    ['25:00', valid({ calendar: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '25:00']] } } }), 'calendar.hours.mon[0][1]'],
    ['unknown zone', valid({ calendar: { timezone: 'Mars/Olympus', hours: { mon: [['09:00', '17:00']] } } }), 'calendar.timezone'],
    ['no open hours', valid({ calendar: { timezone: 'Europe/Berlin', hours: {} } }), 'calendar.hours'],
    ['misspelt weekday', valid({ calendar: { timezone: 'Europe/Berlin', hours: { Mon: [['09:00', '17:00']] } } }), 'calendar.hours.Mon'],
    ['bad holiday date', valid({ calendar: { ...OFFICE, holidays: ['2025-02-30'] } }), 'calendar.holidays[0]'],
    ['metrics missing', { events: [CREATED] }, 'metrics'],
    ['metrics not a list', valid({ metrics: {} }), 'metrics'],
    ['metric not an object', valid({ metrics: ['first_response'] }), 'metrics[0]'],
    ['metric name missing', withMetric({ target_minutes: 60 }), 'metrics[0].name'],
    ['target 0', withMetric({ name: 'first_response', target_minutes: 0 }), 'metrics[0].target_minutes'],
    ['target negative', withMetric({ name: 'first_response', target_minutes: -5 }), 'metrics[0].target_minutes'],
    ['target fractional', withMetric({ name: 'first_response', target_minutes: 1.5 }), 'metrics[0].target_minutes'],
    ['target a string', withMetric({ name: 'first_response', target_minutes: '60' }), 'metrics[0].target_minutes'],
    ['target missing', withMetric({ name: 'first_response' }), 'metrics[0].target_minutes'],
    ['bad metric pause status', withMetric({ name: 'resolution', target_minutes: 60, pause_statuses: ['pending', 'waiting'] }), 'metrics[0].pause_statuses[1]'],
    ['unknown metric kind', withMetric({ name: 'c', target_minutes: 60, start_on: ['created'], stop_on: ['agent_message', 'reply'] }), 'metrics[0].stop_on[1]'],
    ['unknown status kind', withMetric({ name: 'c', target_minutes: 60, start_on: ['status:waiting'], stop_on: [] }), 'metrics[0].start_on[0]'],
    ['note is not a metric kind', withMetric({ name: 'c', target_minutes: 60, start_on: ['agent_note'], stop_on: [] }), 'metrics[0].start_on[0]'],
    ['custom without start_on', withMetric({ name: 'c', target_minutes: 60, stop_on: ['agent_message'] }), 'metrics[0].start_on'],
    ['custom with empty start_on', withMetric({ name: 'c', target_minutes: 60, start_on: [], stop_on: [] }), 'metrics[0].start_on'],
    ['repeat not a boolean', withMetric({ name: 'c', target_minutes: 60, start_on: ['created'], stop_on: [], repeat: 'yes' }), 'metrics[0].repeat'],
    ['built-in with start_on', withMetric({ name: 'first_response', target_minutes: 60, start_on: ['created'] }), 'metrics[0].start_on'],
    ['built-in with repeat', withMetric({ name: 'next_response', target_minutes: 60, repeat: true }), 'metrics[0].repeat'],
    ['duplicate metric name', valid({ metrics: [{ name: 'resolution', target_minutes: 60 }, { name: 'resolution', target_minutes: 90 }] }), 'metrics[1].name'],
    ['top-level pause status unknown', valid({ pause_statuses: ['paused'] }), 'pause_statuses[0]'],
    ['top-level pause statuses not a list', valid({ pause_statuses: 'pending' }), 'pause_statuses'],
    ['no events', valid({ events: [] }), 'events'],
    ['events missing', { metrics: [] }, 'events'],
    ['event not an object', withEvents(CREATED, 'agent_message'), 'events[1]'],
    ['bad instant', withEvents(CREATED, { at: 'Monday', type: 'agent_message' }), 'events[1].at'],
    ['instant without offset', withEvents(CREATED, { at: '2025-03-10T11:00:00', type: 'agent_message' }), 'events[1].at'],
    ['instant date only', withEvents({ at: '2025-03-10', type: 'created' }), 'events[0].at'],
    ['impossible date', withEvents(CREATED, { at: '2025-02-30T11:00:00Z', type: 'agent_message' }), 'events[1].at'],
    ['instant as a number', withEvents(CREATED, { at: 1741600800000, type: 'agent_message' }), 'events[1].at'],
    ['event at missing', withEvents(CREATED, { type: 'agent_message' }), 'events[1].at'],
    ['unknown event type', withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'phone_call' }), 'events[1].type'],
    ['unknown status', withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'status', status: 'waiting' }), 'events[1].status'],
    ['status event without status', withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'status' }), 'events[1].status'],
    ['created with an unknown status', withEvents({ ...CREATED, status: 'fresh' }), 'events[0].status'],
    ['unknown status on a message', withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'agent_message', status: 'waiting' }), 'events[1].status'],
    ['unordered events', withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'agent_message' }, { at: '2025-03-10T10:59:59Z', type: 'customer_message' }), 'events[2].at'],
    ['unordered across offsets', withEvents(CREATED, { at: '2025-03-10T10:30:00+01:00', type: 'agent_message' }), 'events[1].at'],
    ['created not first', withEvents({ at: '2025-03-10T10:00:00Z', type: 'customer_message' }, CREATED), 'events[0].type'],
    ['created twice', withEvents(CREATED, { at: '2025-03-10T10:05:00Z', type: 'agent_message' }, { at: '2025-03-10T10:06:00Z', type: 'created' }), 'events[2].type'],
    ['bad at', valid({ at: '2025-03-10 12:00' }), 'at'],
    ['first of several errors: by document order', valid({ metrics: [{ name: 'first_response', target_minutes: 0 }], events: [] }), 'metrics[0].target_minutes'],
    ['first of several errors: by index', withEvents(CREATED, { at: 'x', type: 'agent_message' }, { at: 'y', type: 'nope' }), 'events[1].at'],
  ])('%s → %s', (_label, raw, path) => {
    const r = parseSimulationInput(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.path).toBe(path);
    expect(r.message.startsWith(`${path === '' ? 'input' : path}: `)).toBe(true);
  });

  it('names the field in the message, as the CLI prints it', () => {
    const r = parseSimulationInput(withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'agent_message' }, { at: 'soon', type: 'agent_message' }, { at: 'x', type: 'agent_message' }));
    expect(r).toEqual({ ok: false, path: 'events[2].at', message: 'events[2].at: not an ISO-8601 instant' });
  });

  it('mentions the accepted values for an unknown kind', () => {
    const r = parseSimulationInput(withMetric({ name: 'c', target_minutes: 60, start_on: ['reply'], stop_on: [] }));
    expect(r.ok ? '' : r.message).toContain('unknown event kind "reply"');
  });
});

describe('parseSimulationInput accepts', () => {
  it('the minimal input with defaults', () => {
    const r = parseSimulationInput({ metrics: [], events: [CREATED] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      calendar: null,
      metrics: [],
      pause_statuses: ['pending'],
      events: [{ at: Date.UTC(2025, 2, 10, 10), type: 'created', status: 'new' }],
      at: null,
    });
  });

  it('equal instants, offsets, fractional seconds, null calendar and at, unknown extra keys', () => {
    const r = parseSimulationInput({
      calendar: null,
      metrics: [{ name: 'c', target_minutes: 1, start_on: ['status:on_hold'], stop_on: [], pause_statuses: [], note: 'x' }],
      events: [
        { at: '2025-03-10T11:00:00.5+01:00', type: 'created', status: 'open' },
        { at: '2025-03-10T10:00:00.500Z', type: 'auto_message' },
        { at: '2025-03-10T10:01Z', type: 'agent_note', id: 7 },
      ],
      at: null,
      comment: 'ignored',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.metrics).toEqual([{ name: 'c', target_minutes: 1, pause_statuses: [], start_on: ['status:on_hold'], stop_on: [], repeat: false }]);
    expect(r.value.events.map((e) => e.at)).toEqual([Date.UTC(2025, 2, 10, 10, 0, 0, 500), Date.UTC(2025, 2, 10, 10, 0, 0, 500), Date.UTC(2025, 2, 10, 10, 1)]);
  });

  it('a message that also sets a status: the message, then the status change at the same instant', () => {
    const r = parseSimulationInput(withEvents(CREATED, { at: '2025-03-10T11:00:00Z', type: 'agent_message', status: 'pending' }, { at: '2025-03-10T12:00:00Z', type: 'customer_message', status: null }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.events.slice(1)).toEqual([
      { at: Date.UTC(2025, 2, 10, 11), type: 'agent_message' },
      { at: Date.UTC(2025, 2, 10, 11), type: 'status', status: 'pending' },
      { at: Date.UTC(2025, 2, 10, 12), type: 'customer_message' },
    ]);
  });

  it('a custom metric without stop_on never stops', () => {
    const r = parseSimulationInput(withMetric({ name: 'since_contact', target_minutes: 60, start_on: ['created'] }));
    expect(r.ok && r.value.metrics[0]).toMatchObject({ name: 'since_contact', stop_on: [], repeat: false });
  });

  it('a calendar, compiled once and returned', () => {
    const r = parseSimulationInput(valid({ calendar: OFFICE }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.calendar).toEqual(OFFICE);
    expect(r.calendar.isOpen(Date.UTC(2025, 2, 10, 8))).toBe(true);
  });
});
