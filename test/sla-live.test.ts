import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Live tickets and the simulator share one engine; these tests drive tickets through the HTTP API
// and replay each ticket's public event log through POST /sla/simulate, expecting identical clocks.

let t: TestApp;
let sup: string;
let agent: string;
let calendarId: string;
const BERLIN = {
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '12:30'], ['13:30', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  holidays: ['2025-03-12'],
};
const METRICS = [
  { name: 'first_response', targets_by_priority: { urgent: 30, high: 60 }, target_minutes: 120, warn_at_percent: [75], warn_at_minutes_left: [10] },
  { name: 'next_response', target_minutes: 90 },
  { name: 'periodic_update', target_minutes: 240 },
  { name: 'resolution', target_minutes: 960, pause_statuses: ['pending', 'on_hold'] },
];

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  const cal = await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Berlin', spec: BERLIN });
  expect(cal.status).toBe(201);
  calendarId = cal.body.id;
  const policy = await t.call('POST', '/api/v1/sla/policies', sup, { name: 'Business hours', calendar_id: calendarId, metrics: METRICS });
  expect(policy.status).toBe(201);
});
afterAll(() => t.close());

type ApiEvent = { kind: string; after: Record<string, unknown> | null; created_at: string };

/** The simulator's event list, derived from the ticket's audit log as any API client could. */
function simulatorEvents(events: ApiEvent[]) {
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    if (e.kind === 'created') out.push({ at: e.created_at, type: 'created', status: e.after?.status });
    if (e.kind === 'status_changed') out.push({ at: e.created_at, type: 'status', status: e.after?.status });
    if (e.kind === 'message_added' && !e.after?.initial) {
      const kind = e.after?.kind;
      const type = kind === 'internal' ? 'agent_note' : kind === 'automatic' ? 'auto_message' : e.after?.author_kind === 'contact' ? 'customer_message' : 'agent_message';
      out.push({ at: e.created_at, type });
    }
  }
  return out;
}

async function replay(ref: string | number, metrics = METRICS, priority = 'normal') {
  const ticket = await t.call('GET', `/api/v1/tickets/${ref}`, sup);
  const events = await t.call('GET', `/api/v1/tickets/${ref}/events`, sup);
  const sim = await t.call('POST', '/api/v1/sla/simulate', sup, {
    calendar: BERLIN,
    metrics: metrics.map((m) => ({ name: m.name, target_minutes: (m.targets_by_priority as Record<string, number> | undefined)?.[priority] ?? m.target_minutes, ...(m.pause_statuses ? { pause_statuses: m.pause_statuses } : {}) })),
    events: simulatorEvents(events.body.data),
    at: ticket.body.sla.evaluated_at,
  });
  expect(sim.status).toBe(200);
  return { ticket: ticket.body, sim: sim.body };
}

function expectIdentical(live: Record<string, Record<string, unknown>>, sim: Record<string, Record<string, unknown>>) {
  expect(Object.keys(live).sort()).toEqual(Object.keys(sim).sort());
  for (const [name, m] of Object.entries(sim)) {
    const { cycles: _cycles, ...simFields } = m;
    const { target_minutes: _target, warning: _warning, next_warning_at: _nextWarning, ...liveFields } = live[name] ?? {};
    expect({ name, ...liveFields }).toEqual({ name, ...simFields });
  }
}

describe('live SLA clocks', () => {
  it('counts business time in the policy calendar: Friday 16:30 Berlin + 120 min → Monday 10:30', async () => {
    t.clock.set('2025-03-07T15:30:00Z'); // Friday 16:30 CET
    const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Friday', message: 'late', requester: { email: 'fri@example.org' } });
    expect(created.body.sla.metrics.first_response).toMatchObject({ status: 'running', due_at: '2025-03-10T09:30:00Z', breached: false });
    // 75 % of 120 min is used after 30 min on Friday and 60 on Monday: Monday 10:00 CET.
    expect(created.body.sla.metrics.first_response).toMatchObject({ warning: false, next_warning_at: '2025-03-10T09:00:00Z' });
    expect(created.body.sla.next_warning_at).toBe('2025-03-10T09:00:00Z');
    t.clock.set('2025-03-10T09:05:00Z');
    const warned = await t.call('GET', `/api/v1/tickets/${created.body.number}`, agent);
    // Past 75 %; the 10-minutes-left point (110 used) comes at 10:20 CET.
    expect(warned.body.sla.metrics.first_response).toMatchObject({ warning: true, next_warning_at: '2025-03-10T09:20:00Z', breached: false });
    expect(warned.body.sla.warning).toBe(true);
    expect(created.body.sla.policy_name).toBe('Business hours');
    // The acknowledgement promises that instant, in the zone of the policy calendar (a new contact with no zone of its own).
    const [job] = await t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>(
      "SELECT kind, payload FROM outbox WHERE kind = 'mail.acknowledgement' AND payload->>'ticket_id' = $1", [created.body.id]);
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.text).toContain("We will reply by Mon 10 Mar, 10:30 (Europe/Berlin) — within 2 business hours.");
  });

  it('re-selects targets when the priority changes, keeping elapsed business time', async () => {
    t.clock.set('2025-03-10T08:00:00Z'); // Monday 09:00 CET
    const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Priority', message: 'x', requester: { email: 'prio@example.org' } });
    expect(created.body.sla.metrics.first_response.due_at).toBe('2025-03-10T10:00:00Z');
    t.clock.advanceMinutes(20);
    const patched = await t.call('PATCH', `/api/v1/tickets/${created.body.number}`, agent, { priority: 'urgent' });
    expect(patched.body.sla.metrics.first_response).toMatchObject({ due_at: '2025-03-10T08:30:00Z', elapsed_business_minutes: 20, remaining_business_minutes: 10 });
    t.clock.advanceMinutes(15);
    const later = await t.call('GET', `/api/v1/tickets/${created.body.number}`, agent);
    expect(later.body.sla.metrics.first_response).toMatchObject({ breached: true, breached_at: '2025-03-10T08:30:00Z' });
  });

  it('pauses while pending and resumes when the customer answers', async () => {
    t.clock.set('2025-03-11T08:00:00Z'); // Tuesday 09:00 CET; the customer answers at 11:30 CET (10:30Z), so 90 min → 12:00Z
    const c = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Pause', message: 'x', requester: { email: 'anna@acme.example' } });
    const ref = c.body.number;
    t.clock.advanceMinutes(30);
    await t.call('POST', `/api/v1/tickets/${ref}/messages`, agent, { body: 'Which version?', status: 'pending' });
    t.clock.advanceMinutes(120);
    const paused = await t.call('GET', `/api/v1/tickets/${ref}`, agent);
    expect(paused.body.sla.metrics.resolution).toMatchObject({ status: 'paused', elapsed_business_minutes: 30 });
    const anna = await t.signIn('anna@acme.example', undefined, true);
    await t.call('POST', `/api/v1/tickets/${ref}/messages`, anna, { body: '2.1' });
    t.clock.advanceMinutes(10);
    const resumed = await t.call('GET', `/api/v1/tickets/${ref}`, agent);
    expect(resumed.body.status).toBe('open');
    expect(resumed.body.sla.metrics.resolution).toMatchObject({ status: 'running', elapsed_business_minutes: 40 });
    expect(resumed.body.sla.metrics.next_response).toMatchObject({ status: 'running', elapsed_business_minutes: 10, due_at: '2025-03-11T12:00:00Z' });
    const { ticket, sim } = await replay(ref);
    expectIdentical(ticket.sla.metrics, sim.metrics);
  });

  it('agrees with the simulator on random ticket histories (replayed from the event log)', async () => {
    const step = fc.record({
      gap: fc.integer({ min: 0, max: 600 }),
      action: fc.constantFrom('reply', 'reply_pending', 'note', 'customer', 'hold', 'open', 'solve', 'reopen'),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 * 24 * 60 }), fc.array(step, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 3000 }), async (startOffset, steps, tail) => {
        t.clock.set('2025-03-03T00:00:00Z');
        t.clock.advanceMinutes(startOffset);
        const c = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Random', message: 'x', requester: { email: 'ben@globex.example' } });
        const ref = c.body.number;
        const ben = await t.signIn('ben@globex.example', undefined, true);
        for (const s of steps) {
          t.clock.advanceMinutes(s.gap);
          const current = (await t.call('GET', `/api/v1/tickets/${ref}`, agent)).body.status;
          if (current === 'closed') break;
          if (s.action === 'reply') await t.call('POST', `/api/v1/tickets/${ref}/messages`, agent, { body: 'r' });
          if (s.action === 'reply_pending') await t.call('POST', `/api/v1/tickets/${ref}/messages`, agent, { body: 'r', status: 'pending' });
          if (s.action === 'note') await t.call('POST', `/api/v1/tickets/${ref}/messages`, agent, { body: 'n', kind: 'internal' });
          if (s.action === 'customer') await t.call('POST', `/api/v1/tickets/${ref}/messages`, ben, { body: 'c' });
          if (s.action === 'hold') await t.call('PATCH', `/api/v1/tickets/${ref}`, agent, { status: 'on_hold' });
          if (s.action === 'open' || s.action === 'reopen') await t.call('PATCH', `/api/v1/tickets/${ref}`, agent, { status: 'open' });
          if (s.action === 'solve') await t.call('PATCH', `/api/v1/tickets/${ref}`, agent, { status: 'solved' });
        }
        t.clock.advanceMinutes(tail);
        const { ticket, sim } = await replay(ref);
        expectIdentical(ticket.sla.metrics, sim.metrics);
        expect(ticket.sla.next_due_at).toBe(sim.next_due_at);
      }),
      { numRuns: 25 },
    );
  });

  it('recomputes open tickets in the background when a policy changes, and the queue follows', async () => {
    t.clock.set('2025-03-13T08:00:00Z'); // Thursday 09:00 CET
    const a = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Queue A', message: 'x', type: 'complaint', requester: { email: 'qa@example.org' } });
    t.clock.advanceMinutes(1);
    const b = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Queue B', message: 'x', type: 'information_request', requester: { email: 'qb@example.org' } });
    const order = async () => (await t.call('GET', '/api/v1/queue', agent)).body.data.map((x: { number: number }) => x.number).filter((n: number) => n === a.body.number || n === b.body.number);
    expect(await order()).toEqual([a.body.number, b.body.number]);

    const fast = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Information requests fast', conditions: [{ field: 'type', values: ['information_request'] }], metrics: [{ name: 'first_response', target_minutes: 5 }],
    });
    expect(fast.status).toBe(201);
    const policies = (await t.call('GET', '/api/v1/sla/policies', sup)).body.data.map((p: { id: string }) => p.id);
    const reordered = await t.call('POST', '/api/v1/sla/policies/reorder', sup, { ids: [fast.body.id, ...policies.filter((id: string) => id !== fast.body.id)] });
    expect(reordered.body.data[0].name).toBe('Information requests fast');
    // Until the background job runs, the stored order is the old one.
    expect(await order()).toEqual([a.body.number, b.body.number]);
    await runDueJobs(t.ctx, async () => undefined);
    expect(await order()).toEqual([b.body.number, a.body.number]);
    const bNow = await t.call('GET', `/api/v1/tickets/${b.body.number}`, agent);
    expect(bNow.body.sla).toMatchObject({ policy_name: 'Information requests fast', next_due_at: '2025-03-13T08:06:00Z' });
  });

  it('several queued recompute requests cost one recompute run', async () => {
    for (const name of ['r1', 'r2', 'r3']) {
      await t.call('POST', '/api/v1/sla/policies', sup, { name, active: false, metrics: [{ name: 'first_response', target_minutes: 5 }] });
    }
    const runs: object[] = [];
    const counting = { ...t.ctx, log: { ...t.ctx.log, info: (obj: object, msg?: string) => { if (msg === 'SLA clocks recomputed') runs.push(obj); } } };
    await runDueJobs(counting, async () => undefined);
    expect(runs).toHaveLength(1);
    const pending = await t.ctx.db.query("SELECT id FROM outbox WHERE kind = 'sla.recompute_open' AND done_at IS NULL");
    expect(pending).toEqual([]);
  });

  it('a partial policy change keeps every field it does not name', async () => {
    const created = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Partial', active: false, conditions: [{ field: 'type', values: ['quote'] }], calendar_id: calendarId, pause_statuses: ['pending', 'on_hold'],
      metrics: [{ name: 'first_response', target_minutes: 45 }],
    });
    const renamed = await t.call('PATCH', `/api/v1/sla/policies/${created.body.id}`, sup, { name: 'Partial (renamed)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Partial (renamed)', active: false, calendar_id: calendarId, pause_statuses: ['pending', 'on_hold'],
      conditions: [{ field: 'type', op: 'in', values: ['quote'] }], metrics: [{ name: 'first_response', target_minutes: 45 }],
    });
    expect((await t.call('PATCH', `/api/v1/sla/policies/${created.body.id}`, sup, { colour: 'red' })).body.error.path).toBe('colour');
    expect((await t.call('DELETE', `/api/v1/sla/policies/${created.body.id}`, sup)).status).toBe(204);
  });

  it('rejects invalid policies and calendars with the field path', async () => {
    const cases: [string, unknown, string][] = [
      ['/api/v1/sla/policies', { name: 'p1', metrics: [{ name: 'first_response', target_minutes: 0 }] }, 'metrics[0].target_minutes'],
      ['/api/v1/sla/policies', { name: 'p2', metrics: [{ name: 'mystery', target_minutes: 5 }] }, 'metrics[0].start_on'],
      ['/api/v1/sla/policies', { name: 'p3', metrics: [{ name: 'x_y', target_minutes: 5, start_on: ['created'], stop_on: ['status:gone'] }] }, 'metrics[0].stop_on[0]'],
      ['/api/v1/sla/policies', { name: 'p4', conditions: [{ field: 'colour', values: ['red'] }], metrics: [{ name: 'first_response', target_minutes: 5 }] }, 'conditions[0].field'],
      ['/api/v1/sla/calendars', { name: 'c1', spec: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '12:00'], ['11:00', '13:00']] } } }, 'spec.hours.mon[1]'],
      ['/api/v1/sla/calendars', { name: 'c2', spec: { timezone: 'Mars/Olympus', hours: { mon: [['09:00', '12:00']] } } }, 'spec.timezone'],
      ['/api/v1/sla/calendars', { name: 'c3', spec: { timezone: 'UTC', hours: { mon: [['09:00', '25:00']] } } }, 'spec.hours.mon[0][1]'],
    ];
    for (const [url, body, path] of cases) {
      const res = await t.call('POST', url, sup, body);
      expect({ url, status: res.status, path: res.body.error?.path }).toEqual({ url, status: 400, path });
    }
    expect((await t.call('POST', '/api/v1/sla/policies', agent, { name: 'agent', metrics: [{ name: 'first_response', target_minutes: 5 }] })).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/sla/calendars/${calendarId}`, sup)).status).toBe(409);
  });
});
