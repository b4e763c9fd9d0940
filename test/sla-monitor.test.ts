import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { runDueSlaActions } from '../src/app/monitor/run-due-sla-actions.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startSlaMonitor } from '../src/jobs/sla-monitor.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The SLA monitor through the public surface: tickets and policies via HTTP, the monitor's own
// entry point (runDueSlaActions) on a controllable clock, results via the events and notifications API.

let t: TestApp;
let sup: string;
let agent: string;
let admin: string;
let seq = 0;
const mails: OutgoingMail[] = [];
const sendMail = async (m: OutgoingMail) => {
  mails.push(m);
};

const LADDER = [
  { after_minutes: 10, action: 'notify_assignee' },
  { after_minutes: 20, action: 'notify_supervisor_raise_priority' },
  { after_minutes: 30, action: 'reassign_to_group_queue' },
  { after_minutes: 40, action: 'notify_admin' },
];

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  admin = await t.signIn('admin@test.dev');
  // Sessions last 14 days: every test below stays within 2025-03-10 … 2025-03-23.
  // Complaints: stale-request rule only (no first-response clock of their own); everything else: the ladder.
  const stale = await t.call('POST', '/api/v1/sla/policies', sup, {
    name: 'Stale complaints', conditions: [{ field: 'type', values: ['complaint'] }],
    metrics: [{ name: 'resolution', target_minutes: 100_000 }], pending_reminders: { remind_after_business_hours: 8, solve_after_days: 1 },
  });
  expect(stale.status, JSON.stringify(stale.body)).toBe(201);
  const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
    name: 'Monitored', metrics: [{ name: 'first_response', target_minutes: 60, targets_by_priority: { urgent: 20 }, warn_at_percent: [75] }], escalations: LADDER,
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  await runDueJobs(t.ctx, sendMail); // the recompute jobs of the policy edits
});
afterAll(() => t.close());

async function ticket(body: Record<string, unknown> = {}): Promise<{ number: number; id: string }> {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', sup, {
    subject: `Monitored ${seq}`, message: 'Help', requester: { email: `mon${seq}@example.org` }, group_id: t.fixtures.groups.support, assignee_id: t.fixtures.users.agentSupport, ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
/** What the monitor did to the ticket: its events (actor: system), SLA ones with their action key. */
const kinds = async (ref: number): Promise<string[]> => {
  const res = await t.call('GET', `/api/v1/tickets/${ref}/events`, sup);
  expect(res.status).toBe(200);
  return (res.body.data ?? res.body).filter((e: { actor: { kind: string } }) => e.actor.kind === 'system')
    .map((e: { kind: string; after: { key?: string } }) => (e.kind.startsWith('sla_') ? `${e.kind}:${e.after.key}` : e.kind));
};
/** Runs the monitor at `iso`; how many actions it took on this ticket. */
const at = async (iso: string, ref: number): Promise<number> => {
  const before = (await kinds(ref)).filter((k) => k.startsWith('sla_') || k === 'pending_reminder' || k === 'status_changed').length;
  t.clock.set(iso);
  await runDueSlaActions(t.ctx);
  return (await kinds(ref)).filter((k) => k.startsWith('sla_') || k === 'pending_reminder' || k === 'status_changed').length - before;
};
const notificationsOf = async (token: string) => (await t.call('GET', '/api/v1/notifications', token)).body;

describe('SLA monitor', () => {
  it('warns at the threshold, breaches at the due time and climbs the ladder, each exactly once', async () => {
    t.clock.set('2025-03-10T08:00:00Z');
    const tk = await ticket();
    const before = (await notificationsOf(agent)).unread_count;
    expect(await at('2025-03-10T08:44:59Z', tk.number)).toBe(0);
    expect(await at('2025-03-10T08:45:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-10T08:45:00Z', tk.number)).toBe(0);
    expect(await kinds(tk.number)).toEqual(['sla_warning:warning:2700000']);
    expect(await at('2025-03-10T09:00:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-10T09:10:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-10T09:20:00Z', tk.number)).toBe(1);
    const raised = await t.call('GET', `/api/v1/tickets/${tk.number}`, sup);
    expect(raised.body.priority).toBe('high');
    expect(await at('2025-03-10T09:30:00Z', tk.number)).toBe(1);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body.assignee).toBeNull();
    expect(await at('2025-03-10T09:40:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-10T12:00:00Z', tk.number)).toBe(0);
    expect(await kinds(tk.number)).toEqual([
      'sla_warning:warning:2700000', 'sla_breach:breach', 'sla_escalation:escalation:1',
      'sla_escalation:escalation:2', 'priority_changed', 'sla_escalation:escalation:3', 'assignee_changed', 'sla_escalation:escalation:4',
    ]);
    // Who heard of it: the assignee (warning, breach, level 1), the supervisor (level 2), the group (level 3), the admin (level 4).
    const mine = await notificationsOf(agent);
    expect(mine.unread_count - before).toBe(4);
    expect(mine.data.filter((n: { ticket_number: number }) => n.ticket_number === tk.number).map((n: { kind: string }) => n.kind))
      .toEqual(['sla.escalation', 'sla.escalation', 'sla.breach', 'sla.warning']);
    expect((await notificationsOf(sup)).data.filter((n: { ticket_number: number }) => n.ticket_number === tk.number)).toHaveLength(1);
    expect((await notificationsOf(admin)).data.filter((n: { ticket_number: number }) => n.ticket_number === tk.number)).toHaveLength(1);
  });

  it('catches up after downtime: what was scheduled is taken late but in order, and each once', async () => {
    t.clock.set('2025-03-11T08:00:00Z');
    const tk = await ticket();
    expect(await at('2025-03-11T09:45:00Z', tk.number)).toBe(6);
    expect(await kinds(tk.number)).toEqual([
      'sla_warning:warning:2700000', 'sla_breach:breach', 'sla_escalation:escalation:1', 'sla_escalation:escalation:2', 'priority_changed',
      'sla_escalation:escalation:3', 'assignee_changed', 'sla_escalation:escalation:4',
    ]);
  });

  it('reschedules when the priority changes the target', async () => {
    t.clock.set('2025-03-12T08:00:00Z');
    const tk = await ticket();
    t.clock.set('2025-03-12T08:05:00Z');
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { priority: 'urgent' })).status).toBe(200);
    // urgent: 20 minutes, warning at 75 % = 15 minutes after creation.
    expect(await at('2025-03-12T08:14:59Z', tk.number)).toBe(0);
    expect(await at('2025-03-12T08:15:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-12T08:20:00Z', tk.number)).toBe(1);
    expect(await kinds(tk.number)).toEqual(['sla_warning:warning:900000', 'sla_breach:breach']);
  });

  it('cancels on a met target: a first reply before the due time means no warning and no breach', async () => {
    t.clock.set('2025-03-13T08:00:00Z');
    const tk = await ticket();
    t.clock.set('2025-03-13T08:30:00Z');
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'On it', kind: 'public' })).status).toBe(201);
    expect(await at('2025-03-13T12:00:00Z', tk.number)).toBe(0);
    expect(await kinds(tk.number)).toEqual([]);
  });

  it('never fires a paused clock, and resumes the schedule when it runs again', async () => {
    t.clock.set('2025-03-14T08:00:00Z');
    const tk = await ticket();
    t.clock.set('2025-03-14T08:30:00Z');
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: 'pending' })).status).toBe(200);
    expect(await at('2025-03-14T12:00:00Z', tk.number)).toBe(0);
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: 'open' })).status).toBe(200);
    // 30 minutes used before the pause: the 45-minute threshold is 15 minutes after resuming.
    expect(await at('2025-03-14T12:14:59Z', tk.number)).toBe(0);
    expect(await at('2025-03-14T12:15:00Z', tk.number)).toBe(1);
    expect(await kinds(tk.number)).toContain('sla_warning:warning:2700000');
  });

  it('asks a silent customer again, then solves the request with a notice (stale-request rule)', async () => {
    t.clock.set('2025-03-17T08:00:00Z');
    const tk = await ticket({ type: 'complaint' });
    t.clock.set('2025-03-17T09:00:00Z');
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: 'pending' })).status).toBe(200);
    expect(await at('2025-03-17T16:59:59Z', tk.number)).toBe(0);
    expect(await at('2025-03-17T17:00:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-18T01:00:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-18T09:00:00Z', tk.number)).toBe(1);
    expect(await at('2025-03-19T09:00:00Z', tk.number)).toBe(0);
    expect(await kinds(tk.number)).toEqual(['pending_reminder', 'pending_reminder', 'status_changed']);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body.status).toBe('solved');
    mails.length = 0;
    await runDueJobs(t.ctx, sendMail);
    const toCustomer = mails.filter((m) => m.to === `mon${seq}@example.org` && !/we received your request/i.test(m.text));
    expect(toCustomer.map((m) => m.text.includes('still waiting') ? 'reminder' : m.text.includes('marked') ? 'solved' : 'other').sort())
      .toEqual(['reminder', 'reminder', 'solved']);
  });

  it('reopening a pending request cancels its reminders', async () => {
    t.clock.set('2025-03-20T08:00:00Z');
    const tk = await ticket({ type: 'complaint' });
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: 'pending' })).status).toBe(200);
    t.clock.set('2025-03-20T10:00:00Z');
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { status: 'open' })).status).toBe(200);
    expect(await at('2025-03-22T00:00:00Z', tk.number)).toBe(0);
    expect(await kinds(tk.number)).not.toContain('pending_reminder');
  });
});

describe('the monitor loop', () => {
  it('sleeps until woken by the NOTIFY of a change that makes an action due, then takes it at once', async () => {
    t.clock.set('2025-03-23T08:00:00Z');
    const tk = await ticket();
    const monitor = await startSlaMonitor(t.ctx, { maxSleepMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 50)); // the monitor is asleep now (nothing due)
      t.clock.set('2025-03-23T08:50:00Z');
      // A change recomputes the clock: the 45-minute threshold has passed, so it is due now.
      expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { tags: ['poke'] })).status).toBe(200);
      await vi.waitFor(async () => expect(await kinds(tk.number)).toEqual(['sla_warning:warning:2700000']), { timeout: 2000, interval: 20 });
    } finally {
      await monitor.stop();
    }
  });
});
