import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/app/demo/seed-demo.ts';
import type { AppContext } from '../src/app/context.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { installStartingPolicies, STARTING_POLICIES } from '../src/app/promise/default-commitments.ts';
import { promiseForTicket } from '../src/app/promise/promise-for-ticket.ts';
import { submitWebRequest } from '../src/app/intake/submit-web-request.ts';
import { listCommitments } from '../src/app/promise/list-commitments.ts';
import { openTestDb } from './helpers/test-db.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { installOfficeCommitments } from './helpers/office-commitments.ts';

// Issue 11: the customer's side of the promise, through HTTP and the use cases.

const H = 3_600_000;
const URL = '/api/v1/public/requests';
const form = (over: Record<string, unknown> = {}) => ({ name: 'Paula Public', email: 'paula@example.org', subject: 'Export fails', message: 'The CSV export fails.', ...over });

let t: TestApp;
let sup: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  await installOfficeCommitments(t, sup);
}, 180_000);
afterAll(() => t?.close());

describe('the public form and its promise', () => {
  it('a technical question on a Tuesday evening is promised 24 wall-clock hours later, says so, and says when the office opens', async () => {
    t.clock.set('2025-03-11T21:46:00Z'); // Tuesday, 22:46 in Berlin (office closed)
    const res = await t.call('POST', URL, null, form());
    expect(res.status).toBe(201);
    expect(res.body.promise).toMatchObject({ promised_at: '2025-03-12T21:46:00.000Z', original_promised_at: '2025-03-12T21:46:00.000Z', clock: 'calendar', target_minutes: 1440, basis: 'sla', back_at: '2025-03-12T08:00:00.000Z', changed: false, kept: null });
    const tk = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body;
    expect(tk.promise.promised_at).toBe(res.body.promise.promised_at);
    expect(tk.sla.metrics.first_response.due_at).toBe('2025-03-12T21:46:00Z');
    expect(tk.urgency).toBe('normal');
  });

  it('refuses the staff-only type "urgent" from a customer, naming the field, and writes nothing', async () => {
    const before = (await t.ctx.db.query('SELECT 1 FROM tickets')).length;
    const res = await t.call('POST', URL, null, form({ type: 'urgent' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'type' });
    expect((await t.ctx.db.query('SELECT 1 FROM tickets')).length).toBe(before);
    // Staff may still file an urgent request.
    const staff = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Outage', message: 'Down', type: 'urgent', requester: { email: 'x@example.org' } });
    expect(staff.status).toBe(201);
  });

  it('a critical urgency is promised within 2 hours; a bad urgency is a 400 on "urgency"', async () => {
    t.clock.set('2025-03-11T21:46:00Z');
    const res = await t.call('POST', URL, null, form({ urgency: 'critical', email: 'crit@example.org' }));
    expect(res.status).toBe(201);
    expect(Date.parse(res.body.promise.promised_at) - Date.parse('2025-03-11T21:46:00Z')).toBe(2 * H);
    const bad = await t.call('POST', URL, null, form({ urgency: 'asap' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('urgency');
  });

  it('words that say it is down or urgent (ru, zh) make it critical with the critical promise; a wish for speed is only suggested', async () => {
    t.clock.set('2025-03-11T10:00:00Z');
    for (const message of ['Срочно! Не работает экспорт', '系统紧急故障']) {
      const res = await t.call('POST', URL, null, form({ message, email: 'words@example.org' }));
      expect(res.status).toBe(201);
      expect(Date.parse(res.body.promise.promised_at) - Date.parse('2025-03-11T10:00:00Z')).toBe(2 * H);
      const tk = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body;
      expect(tk).toMatchObject({ urgency: 'critical', urgency_suggestion: null });
      expect(tk.sla.policy_name).toBe('Critical');
      const events = (await t.call('GET', `/api/v1/tickets/${res.body.number}/events`, sup)).body.data;
      expect(events.find((e: { kind: string }) => e.kind === 'urgency_changed')).toMatchObject({ before: { urgency: 'normal' }, after: { urgency: 'critical' } });
    }
    const wish = await t.call('POST', URL, null, form({ message: 'Please answer as soon as possible', email: 'words@example.org' }));
    const tk = (await t.call('GET', `/api/v1/tickets/${wish.body.number}`, sup)).body;
    expect(tk).toMatchObject({ urgency: 'normal', urgency_suggestion: 'high' });
    expect(Date.parse(wish.body.promise.promised_at) - Date.parse('2025-03-11T10:00:00Z')).toBe(24 * H);
  });

  it('staff correct the urgency with an event, and the SLA follows', async () => {
    t.clock.set('2025-03-11T10:00:00Z');
    const res = await t.call('POST', URL, null, form({ email: 'fix@example.org' }));
    const patch = await t.call('PATCH', `/api/v1/tickets/${res.body.number}`, sup, { urgency: 'critical' });
    expect(patch.status).toBe(200);
    const tk = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body;
    expect(tk.urgency).toBe('critical');
    expect(tk.sla.policy_name).toBe('Critical');
    const events = (await t.call('GET', `/api/v1/tickets/${res.body.number}/events`, sup)).body.data;
    expect(events.find((e: { kind: string }) => e.kind === 'urgency_changed')).toMatchObject({ before: { urgency: 'normal' }, after: { urgency: 'critical' } });
  });
});

describe('published commitments', () => {
  it('lists the customer-selectable types with their target and clock, and critical urgency', async () => {
    const res = await t.call('GET', '/api/v1/public/commitments', null);
    expect(res.status).toBe(200);
    const byType = Object.fromEntries(res.body.by_type.map((c: { type: string; target_minutes: number; clock: string }) => [c.type, [c.target_minutes, c.clock]]));
    expect(byType).toEqual({
      technical_question: [1440, 'calendar'], information_request: [2880, 'calendar'], complaint: [1440, 'calendar'],
      suggestion: [4320, 'calendar'], quote: [2880, 'calendar'], custom_work: [2880, 'calendar'],
    });
    expect(res.body.by_urgency).toEqual([expect.objectContaining({ urgency: 'critical', target_minutes: 120, clock: 'calendar' })]);
    const lists = (await t.call('GET', '/api/v1/lists', null)).body;
    expect(lists.types.map((x: { key: string }) => x.key)).toContain('urgent');
  });

  it('a signed-in enterprise customer sees their tier: critical within 1 hour around the clock', async () => {
    const anna = await t.signIn('anna@acme.example', undefined, true);
    const res = await t.call('GET', '/api/v1/portal/commitments', anna);
    expect(res.status).toBe(200);
    expect(res.body.tier).toBe('enterprise');
    expect(res.body.by_urgency).toEqual([expect.objectContaining({ urgency: 'critical', target_minutes: 60, policy: 'Critical, top tiers (around the clock)' })]);
  });
});

describe('changing the promise honestly', () => {
  it('an agent extends the promise: original kept, event written, customer mailed in their language', async () => {
    t.clock.set('2025-03-11T10:00:00Z');
    await t.ctx.db.query("UPDATE contacts SET language = 'ru', time_zone = 'Europe/Moscow' WHERE email = 'oleg@acme.example'");
    const res = await t.call('POST', URL, null, form({ email: 'oleg@acme.example' }));
    const ref = res.body.number;
    const original = res.body.promise.promised_at;
    const ext = await t.call('POST', `/api/v1/tickets/${ref}/promise`, agent, { promised_at: '2025-03-13T12:00:00Z', reason: 'Waiting on the vendor', message: 'Мы ждём ответа поставщика.' });
    expect(ext.status).toBe(200);
    expect(ext.body).toMatchObject({ promised_at: '2025-03-13T12:00:00.000Z', original_promised_at: original, basis: 'agent', reason: 'Waiting on the vendor', changed: true });
    const tk = (await t.call('GET', `/api/v1/tickets/${ref}`, sup)).body;
    expect(tk.promise).toMatchObject({ promised_at: '2025-03-13T12:00:00.000Z', original_promised_at: original });
    const events = (await t.call('GET', `/api/v1/tickets/${ref}/events`, sup)).body.data;
    expect(events.find((e: { kind: string }) => e.kind === 'promise_changed')).toMatchObject({ after: { promised_reply_at: '2025-03-13T12:00:00.000Z', reason: 'Waiting on the vendor' } });
    const [job] = await t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>("SELECT kind, payload FROM outbox WHERE kind = 'mail.promise_changed' AND payload->>'ticket_id' = $1", [tk.id]);
    expect(job).toBeDefined();
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.to).toBe('oleg@acme.example');
    expect(mail?.text).toContain('Новый срок ответа');
    expect(mail?.text).toContain('Мы ждём ответа поставщика.');
    // 12:00Z is 15:00 in Moscow.
    expect(mail?.text).toContain('15:00');
  });

  it('refuses a past time, a missing reason, and customers', async () => {
    t.clock.set('2025-03-11T10:00:00Z');
    const res = await t.call('POST', URL, null, form({ email: 'anna@acme.example' }));
    const ref = res.body.number;
    const past = await t.call('POST', `/api/v1/tickets/${ref}/promise`, agent, { promised_at: '2025-03-10T12:00:00Z', reason: 'x' });
    expect(past.status).toBe(400);
    expect(past.body.error.path).toBe('promised_at');
    const noReason = await t.call('POST', `/api/v1/tickets/${ref}/promise`, agent, { promised_at: '2025-03-12T12:00:00Z' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.path).toBe('reason');
    const anna = await t.signIn('anna@acme.example', undefined, true);
    const asCustomer = await t.call('POST', `/api/v1/tickets/${ref}/promise`, anna, { promised_at: '2025-03-12T12:00:00Z', reason: 'x' });
    expect(asCustomer.status).toBe(403);
    // The customer sees the promise on their ticket.
    const mine = await t.call('GET', `/api/v1/tickets/${ref}`, anna);
    expect(mine.body.promise.promised_at).toBe(res.body.promise.promised_at);
    expect(mine.body.urgency_suggestion).toBeNull();
  });

  it('promises kept %: answered by the original promise counts; an extension does not rescue it', async () => {
    const fresh = await startTestApp();
    try {
      const s = await fresh.signIn('super@test.dev');
      const a = await fresh.signIn('alex@test.dev');
      await fresh.call('POST', '/api/v1/sla/policies', s, { name: '1 hour', metrics: [{ name: 'first_response', target_minutes: 60, clock: 'calendar' }] });
      fresh.clock.set('2025-03-11T08:00:00Z');
      const kept = (await fresh.call('POST', URL, null, form())).body.number;
      const late = (await fresh.call('POST', URL, null, form({ email: 'late@example.org' }))).body.number;
      fresh.clock.set('2025-03-11T08:30:00Z');
      expect((await fresh.call('POST', `/api/v1/tickets/${kept}/messages`, a, { body: 'On it', kind: 'public' })).status).toBe(201);
      expect((await fresh.call('POST', `/api/v1/tickets/${late}/promise`, a, { promised_at: '2025-03-11T12:00:00Z', reason: 'busy' })).status).toBe(200);
      fresh.clock.set('2025-03-11T10:00:00Z');
      expect((await fresh.call('POST', `/api/v1/tickets/${late}/messages`, a, { body: 'Sorry', kind: 'public' })).status).toBe(201);
      const report = await fresh.call('GET', '/api/v1/reports/promises?from=2025-03-11T00:00:00Z&to=2025-03-12T00:00:00Z', s);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ due: 2, kept: 1, broken: 1, extended: 1, kept_percent: 50 });
      expect((await fresh.call('GET', '/api/v1/reports/promises?from=yesterday', s)).body.error.path).toBe('from');
      const tk = (await fresh.call('GET', `/api/v1/tickets/${kept}`, s)).body;
      expect(tk.promise.kept).toBe(true);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});

describe('simulator and live tickets agree on calendar-time targets and stage metrics', () => {
  it('replaying a live ticket through POST /sla/simulate gives the same clocks', async () => {
    t.clock.set('2025-03-14T15:30:00Z'); // Friday 16:30 Berlin
    const res = await t.call('POST', URL, null, form({ email: 'sim@example.org' }));
    const ref = res.body.number;
    t.clock.advanceMinutes(90);
    await t.call('POST', `/api/v1/tickets/${ref}/messages`, agent, { body: 'Looking', kind: 'public', status: 'solved' });
    t.clock.advanceMinutes(60);
    const tk = (await t.call('GET', `/api/v1/tickets/${ref}`, sup)).body;
    const policy = (await t.call('GET', `/api/v1/sla/policies/${tk.sla.policy_id}`, sup)).body;
    const calendar = (await t.call('GET', `/api/v1/sla/calendars/${policy.calendar_id}`, sup)).body;
    const sim = await t.call('POST', '/api/v1/sla/simulate', sup, {
      calendar: calendar.spec,
      pause_statuses: policy.pause_statuses,
      metrics: policy.metrics.map(({ warn_at_percent: _w, warn_at_minutes_left: _m, ...m }: Record<string, unknown>) => m),
      events: [
        { at: '2025-03-14T15:30:00Z', type: 'created' },
        { at: '2025-03-14T17:00:00Z', type: 'agent_message', status: 'solved' },
      ],
      at: t.clock.now.toISOString(),
    });
    expect(sim.status).toBe(200);
    expect(tk.sla.metrics).toEqual(expect.objectContaining({ first_response: expect.anything() }));
    for (const name of ['first_response', 'resolution', 'stage_triage']) {
      expect(sim.body.metrics[name]).toMatchObject({ status: tk.sla.metrics[name].status, due_at: tk.sla.metrics[name].due_at, breached: tk.sla.metrics[name].breached });
    }
    // Triage counts business time: 30 min on Friday before 17:00, then stopped by the reply on Friday 18:00 — 4 h target not used up.
    expect(sim.body.metrics.stage_triage).toMatchObject({ status: 'completed', breached: false, elapsed_business_minutes: 30 });
    expect(sim.body.metrics.stage_triage).not.toHaveProperty('clock');
    expect(sim.body.metrics.first_response).toMatchObject({ status: 'completed', breached: false, elapsed_business_minutes: 90, clock: 'calendar' });
  });
});

describe('demo data and a fresh install', () => {
  it('the demo\'s technical question created on a Tuesday at 21:46 UTC is promised within 24 hours of wall time', async () => {
    const db = await openTestDb();
    try {
      let now = new Date('2026-12-01T21:46:00Z'); // a Tuesday
      const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const ctx: AppContext = { db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://replyby.test' }, log: silent };
      expect(await seedDemo(ctx)).toBe(true);
      now = new Date('2026-12-01T21:46:00Z');
      const created = await submitWebRequest(ctx, { name: 'Tom', email: 'tom@example.net', subject: 'Login fails', message: 'Cannot log in.', type: 'technical_question' });
      const promised = Date.parse(created.promise?.promised_at ?? '');
      expect(promised - now.getTime()).toBeGreaterThan(0);
      expect(promised - now.getTime()).toBeLessThanOrEqual(24 * H);
      const [row] = await db.query<{ id: string }>('SELECT id FROM tickets WHERE number = $1', [created.number]);
      const data = row ? await promiseForTicket(db, row.id) : null;
      expect(data).toMatchObject({ view: { clock: 'calendar', target_minutes: 1440, basis: 'sla' }, time_zone: 'Europe/London', language: 'en' });
      expect(data?.words['promise.within']).toBe('24 hours');
      // The demo's load is light: every request, of every type and urgency, is promised its published commitment.
      const published = await listCommitments(ctx, null);
      for (const { type } of published.by_type) {
        for (const urgency of ['low', 'normal', 'high', 'critical'] as const) {
          now = new Date(now.getTime() + 60_000);
          const sent = await submitWebRequest(ctx, { name: 'Tom', email: 'tom@example.net', subject: `About ${type}`, message: 'Details inside.', type, urgency });
          const commitment = urgency === 'critical' ? published.by_urgency.find((u) => u.urgency === 'critical') : published.by_type.find((c) => c.type === type);
          expect(sent.promise, `${type}/${urgency}`).toMatchObject({ basis: 'sla', target_minutes: commitment?.target_minutes });
          expect(Date.parse(sent.promise?.promised_at ?? '') - now.getTime(), `${type}/${urgency}`).toBe((commitment?.target_minutes ?? 0) * 60_000);
        }
      }
    } finally {
      await db.dispose();
    }
  }, 180_000);

  it('a fresh install starts with the commitments; an install with users or policies is left alone', async () => {
    const db = await openTestDb();
    try {
      const ctx: AppContext = { db, now: () => new Date('2026-12-01T10:00:00Z'), settings: { ticketPrefix: '#', publicUrl: 'http://replyby.test' }, log: { info: () => undefined, warn: () => undefined, error: () => undefined } };
      expect(await installStartingPolicies(ctx)).toBe(STARTING_POLICIES.length);
      expect(await installStartingPolicies(ctx)).toBe(0);
      const rows = await db.query<{ name: string }>('SELECT name FROM sla_policies ORDER BY position');
      expect(rows.map((r) => r.name)).toEqual(STARTING_POLICIES.map((p) => p.name));
    } finally {
      await db.dispose();
    }
  }, 60_000);
});
