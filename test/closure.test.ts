import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { runLifecycleSweep } from '../src/app/promise/lifecycle-sweep.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 11, customer side: confirmed closure (mail links and portal), silence → close, archiving,
// progress notices and the promise about to pass, lifecycle settings, closure and stage reports.

const H = 3_600_000;
let t: TestApp;
let sup: string;
let admin: string;
let agent: string;
let oleg: string;
let anna: string;

type Job = { kind: string; payload: Record<string, unknown> };
type Event = { kind: string; actor: { kind: string; id: string | null }; before: Record<string, unknown> | null; after: Record<string, unknown> | null };

async function newTicket(email: string, subject = 'Export fails'): Promise<{ number: number; id: string }> {
  const res = await t.call('POST', '/api/v1/tickets', sup, { subject, message: 'The CSV export fails with 502.', requester: { email } });
  expect(res.status).toBe(201);
  return { number: res.body.number, id: res.body.id };
}
const jobs = (ticketId: string, kind: string) => t.ctx.db.query<Job>('SELECT kind, payload FROM outbox WHERE kind = $1 AND payload->>\'ticket_id\' = $2 ORDER BY id', [kind, ticketId]);
const events = async (n: number): Promise<Event[]> => (await t.call('GET', `/api/v1/tickets/${n}/events`, sup)).body.data;
const ticket = async (n: number) => (await t.call('GET', `/api/v1/tickets/${n}`, sup)).body;
const tokenIn = (text: string) => /\/portal\/confirm\/(rbc_[A-Za-z0-9_-]+)\?answer=solved/.exec(text)?.[1] ?? null;

/** Moves the clock; a jump of days outlives the sessions, so everyone signs in again. */
async function at(iso: string): Promise<void> {
  const far = Math.abs(Date.parse(iso) - t.clock.now.getTime()) > 6 * H;
  t.clock.set(iso);
  if (!far && sup) return;
  [sup, admin, agent, oleg, anna] = await Promise.all([
    t.signIn('super@test.dev'), t.signIn('admin@test.dev'), t.signIn('alex@test.dev'),
    t.signIn('oleg@acme.example', undefined, true), t.signIn('anna@acme.example', undefined, true)]);
}

beforeAll(async () => {
  t = await startTestApp();
  await at('2025-03-10T08:00:00Z');
  const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
    name: 'Everything', metrics: [
      { name: 'first_response', target_minutes: 60, clock: 'calendar' },
      { name: 'resolution', target_minutes: 480, clock: 'calendar', pause_statuses: ['pending', 'on_hold'] },
      { name: 'stage_triage', target_minutes: 30, clock: 'calendar', start_on: ['created'], stop_on: ['status:open', 'status:pending', 'status:solved', 'status:closed', 'agent_message'] },
    ],
  });
  expect(policy.status).toBe(201);
  await t.ctx.db.query("UPDATE contacts SET language = 'ru', time_zone = 'Europe/Moscow', name = 'Олег' WHERE email = 'oleg@acme.example'");
  await t.ctx.db.query("UPDATE contacts SET language = 'bg', time_zone = 'Europe/Sofia', name = 'Бен' WHERE email = 'ben@globex.example'");
}, 180_000);
afterAll(() => t?.close());

describe('confirmed closure through the mail', () => {
  it('solving asks the customer in their language with two links; opening a link changes nothing; "solved" + rating closes into quality_check', async () => {
    await at('2025-03-11T10:00:00Z');
    const tk = await newTicket('oleg@acme.example');
    expect((await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'solved' })).status).toBe(200);
    const [job] = await jobs(tk.id, 'mail.promise_closure_request');
    expect(job).toBeDefined();
    const mail = job ? await renderMail(t.ctx, job) : null;
    expect(mail?.to).toBe('oleg@acme.example');
    expect(mail?.subject).toContain('Ваша проблема решена?');
    expect(mail?.text).toContain('Не решено: http://replyby.test/portal/confirm/rbc_');
    // Closes after 4 days of silence: 2025-03-15 10:00Z is 13:00 in Moscow.
    expect(mail?.text).toContain('13:00');
    const token = tokenIn(mail?.text ?? '');
    expect(token).toBeTruthy();

    // A GET (a mail scanner's prefetch) shows the question and changes nothing.
    for (let i = 0; i < 2; i++) {
      const view = await t.call('GET', `/api/v1/public/closure/${token}`, null);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ number: tk.number, status: 'solved', answerable: true, answered: null, language: 'ru' });
    }
    expect((await ticket(tk.number)).status).toBe('solved');

    const bad = await t.call('POST', `/api/v1/public/closure/${token}`, null, { outcome: 'solved', rating: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('rating');

    await at('2025-03-11T12:00:00Z');
    const answer = await t.call('POST', `/api/v1/public/closure/${token}`, null, { outcome: 'solved', rating: 5, comment: 'Спасибо!' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ number: tk.number, status: 'closed', stage: 'quality_check', outcome: 'solved', rating: 5 });
    const evs = await events(tk.number);
    expect(evs.find((e) => e.kind === 'closure_confirmed')).toMatchObject({ actor: { kind: 'contact' }, after: { rating: 5, comment: 'Спасибо!', via: 'link', by: 'Олег' } });
    expect(evs.find((e) => e.kind === 'stage_changed' && e.after?.stage === 'quality_check')).toBeDefined();

    // The link is spent; the view says so.
    const again = await t.call('POST', `/api/v1/public/closure/${token}`, null, { outcome: 'not_solved' });
    expect(again.status).toBe(409);
    expect((await t.call('GET', `/api/v1/public/closure/${token}`, null)).body).toMatchObject({ answerable: false, answered: 'solved', status: 'closed' });
    // A forged or expired token is a 404 without a hint of which.
    expect((await t.call('GET', '/api/v1/public/closure/rbc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', null)).status).toBe(404);
    expect((await t.call('POST', '/api/v1/public/closure/nonsense', null, { outcome: 'solved' })).status).toBe(404);
  });

  it('a link expires', async () => {
    await at('2025-03-20T10:00:00Z');
    const tk = await newTicket('ben@globex.example');
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'solved' });
    const [job] = await jobs(tk.id, 'mail.promise_closure_request');
    const mail = job ? await renderMail(t.ctx, job) : null;
    // Bulgarian customer.
    expect(mail?.subject).toContain('Решен ли е проблемът ви?');
    expect(mail?.text).toContain('Не е решено:');
    const token = tokenIn(mail?.text ?? '');
    await at('2025-04-05T10:00:00Z'); // 16 days later; links work 14
    expect((await t.call('GET', `/api/v1/public/closure/${token}`, null)).status).toBe(404);
    expect((await t.call('POST', `/api/v1/public/closure/${token}`, null, { outcome: 'solved' })).status).toBe(404);
  });
});

describe('confirmed closure on the portal', () => {
  it('"not solved" reopens: status open, event naming the customer, stage back to diagnosis, SLA resolution clock running again', async () => {
    await at('2025-03-12T09:00:00Z');
    const tk = await newTicket('oleg@acme.example', 'VPN drops');
    await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'Try the new client.', kind: 'public', status: 'solved' });
    const solved = await ticket(tk.number);
    expect(solved).toMatchObject({ status: 'solved', stage: 'resolution' });
    expect(solved.sla.metrics.resolution.status).toBe('completed');
    // An organization manager may see the ticket but only its requester answers.
    expect((await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, anna, { outcome: 'not_solved' })).status).toBe(403);
    expect((await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, agent, { outcome: 'not_solved' })).status).toBe(403);
    await at('2025-03-12T10:00:00Z');
    const res = await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, oleg, { outcome: 'not_solved', comment: 'Всё ещё отваливается' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', stage: 'diagnosis', outcome: 'not_solved' });
    const after = await ticket(tk.number);
    expect(after).toMatchObject({ status: 'open', stage: 'diagnosis', solved_at: null });
    expect(after.sla.metrics.resolution.status).toBe('running');
    const evs = await events(tk.number);
    expect(evs.find((e) => e.kind === 'closure_rejected')).toMatchObject({ actor: { kind: 'contact' }, after: { by: 'Олег', comment: 'Всё ещё отваливается', via: 'portal' } });
    expect(evs.find((e) => e.kind === 'status_changed' && e.after?.status === 'open')).toMatchObject({ actor: { kind: 'contact' } });
    // Nothing to confirm on an open ticket.
    const twice = await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, oleg, { outcome: 'solved' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('not waiting for your confirmation');
  });
});

describe('the lifecycle sweep', () => {
  it('closes a solved ticket after 4 days of silence (not before), archives it 30 days later; archived is listed, searchable and read-only', async () => {
    await at('2025-05-01T10:00:00Z');
    const tk = await newTicket('oleg@acme.example', 'Silent archival candidate');
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'solved' });
    await at('2025-05-05T09:59:00Z');
    await runLifecycleSweep(t.ctx);
    expect((await ticket(tk.number)).status).toBe('solved');
    await at('2025-05-05T10:00:00Z');
    const r = await runLifecycleSweep(t.ctx);
    expect(r.closed).toBeGreaterThanOrEqual(1);
    const closed = await ticket(tk.number);
    expect(closed).toMatchObject({ status: 'closed', closed_at: '2025-05-05T10:00:00.000Z', archived_at: null });
    const evs = await events(tk.number);
    expect(evs.find((e) => e.kind === 'closed_after_silence')).toMatchObject({ actor: { kind: 'system' }, after: { silence_hours: 96 } });
    expect(evs.find((e) => e.kind === 'status_changed' && e.after?.status === 'closed')).toMatchObject({ actor: { kind: 'system' }, after: { reason: 'no_answer_to_closure_request' } });
    // The customer may still rate it.
    const rated = await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, oleg, { outcome: 'solved', rating: 2 });
    expect(rated.status).toBe(200);
    expect((await t.call('POST', `/api/v1/portal/tickets/${tk.number}/closure`, oleg, { outcome: 'not_solved' })).status).toBe(409);

    await at('2025-06-04T09:00:00Z');
    await runLifecycleSweep(t.ctx);
    expect((await ticket(tk.number)).archived_at).toBeNull();
    await at('2025-06-04T10:00:00Z');
    expect((await runLifecycleSweep(t.ctx)).archived).toBeGreaterThanOrEqual(1);
    const archived = await ticket(tk.number);
    expect(archived).toMatchObject({ archived_at: '2025-06-04T10:00:00.000Z', stage: 'archived', status: 'closed' });
    expect((await events(tk.number)).find((e) => e.kind === 'archived')).toBeDefined();

    // Still listed and searchable, for staff and for the customer.
    const found = await t.call('GET', '/api/v1/tickets?q=archival&status=closed', sup);
    expect(found.body.data.map((x: { number: number }) => x.number)).toContain(tk.number);
    const mine = await t.call('GET', '/api/v1/tickets?status=closed', oleg);
    expect(mine.body.data.find((x: { number: number }) => x.number === tk.number)).toMatchObject({ archived_at: '2025-06-04T10:00:00.000Z' });

    // Read-only: each write names the reason.
    for (const [method, url, token, body] of [
      ['PATCH', `/api/v1/tickets/${tk.number}`, sup, { tags: ['x'] }],
      ['POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'note', kind: 'internal' }],
      ['POST', `/api/v1/tickets/${tk.number}/messages`, oleg, { body: 'hello?' }],
      ['POST', `/api/v1/tickets/${tk.number}/promise`, sup, { promised_at: '2025-07-01T00:00:00Z', reason: 'x' }],
      ['POST', `/api/v1/portal/tickets/${tk.number}/closure`, oleg, { outcome: 'solved', rating: 5 }],
    ] as const) {
      const res = await t.call(method, url, token, body);
      expect(res.status, `${method} ${url}`).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict' });
      expect(res.body.error.message).toContain('archived');
    }
    // The database refuses too, whatever path a write takes (SQLSTATE RB409).
    await expect(t.ctx.db.query("UPDATE tickets SET status = 'open' WHERE id = $1", [tk.id])).rejects.toMatchObject({ code: 'RB409' });
    await expect(t.ctx.db.query("INSERT INTO messages (ticket_id, kind, author_kind, body_text, body_html, created_at) VALUES ($1, 'internal', 'system', 'x', 'x', now())", [tk.id])).rejects.toMatchObject({ code: 'RB409' });
  });

  it('two sweeps at once act once', async () => {
    await at('2025-07-01T10:00:00Z');
    const tk = await newTicket('oleg@acme.example', 'Race');
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'solved' });
    await at('2025-07-06T10:00:00Z');
    const [a, b] = await Promise.all([runLifecycleSweep(t.ctx), runLifecycleSweep(t.ctx)]);
    expect((a?.closed ?? 0) + (b?.closed ?? 0)).toBe(1);
    expect((await events(tk.number)).filter((e) => e.kind === 'closed_after_silence')).toHaveLength(1);
  });
});

describe('progress notices', () => {
  it('work started (the assignee opens it, not the assignment) and waiting on you (pending without a reply), in the customer\'s language, once', async () => {
    await at('2025-08-01T10:00:00Z');
    await t.ctx.db.query("UPDATE contacts SET language = 'zh', time_zone = 'Asia/Shanghai' WHERE email = 'anna@acme.example'");
    const tk = await newTicket('anna@acme.example', '导出失败');
    const alex = (await t.ctx.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'alex@test.dev'"))[0]?.id;
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { assignee_id: alex });
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, sup, { priority: 'high' });
    // Being assigned is not working on it (review 2026-12-07, item 13): nothing yet.
    expect(await jobs(tk.id, 'mail.promise_work_started')).toHaveLength(0);
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'open' });
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { priority: 'normal' });
    const started = await jobs(tk.id, 'mail.promise_work_started');
    expect(started).toHaveLength(1);
    const mail = started[0] ? await renderMail(t.ctx, started[0]) : null;
    expect(mail?.subject).toContain('我们正在处理您的请求');
    expect(mail?.text).toContain('alex@test.dev 已开始处理');

    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'pending' });
    const waiting = await jobs(tk.id, 'mail.promise_waiting_on_you');
    expect(waiting).toHaveLength(1);
    const w = waiting[0] ? await renderMail(t.ctx, waiting[0]) : null;
    expect(w?.subject).toContain('我们在等待您的回复');

    // A reply that sets pending already tells the customer: no notice.
    const other = await newTicket('ben@globex.example', 'Счет');
    await t.call('POST', `/api/v1/tickets/${other.number}/messages`, agent, { body: 'Какой номер счёта?', kind: 'public', status: 'pending' });
    expect(await jobs(other.id, 'mail.promise_waiting_on_you')).toHaveLength(0);
    // ... and an agent's first public reply is itself the "work started".
    expect(await jobs(other.id, 'mail.promise_work_started')).toHaveLength(0);
    // Bulgarian waiting notice.
    await t.call('PATCH', `/api/v1/tickets/${other.number}`, agent, { status: 'open' });
    await t.call('PATCH', `/api/v1/tickets/${other.number}`, agent, { status: 'pending' });
    const bg = await jobs(other.id, 'mail.promise_waiting_on_you');
    expect(bg).toHaveLength(1);
    expect((bg[0] ? await renderMail(t.ctx, bg[0]) : null)?.subject).toContain('Очакваме вашия отговор');
  });

  it('routing assignments send nothing from the worker\'s sweep; admins switch notices off; settings are validated', async () => {
    await at('2025-08-02T10:00:00Z');
    const tk = await newTicket('ben@globex.example', 'Routed');
    const alex = (await t.ctx.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'alex@test.dev'"))[0]?.id;
    // As routing does: the row and an assignee_changed event, no use case.
    await t.ctx.db.query('UPDATE tickets SET assignee_id = $2 WHERE id = $1', [tk.id, alex]);
    await t.ctx.db.query(`INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at) VALUES ($1, 'system', NULL, 'assignee_changed', '{"assignee_id":null}', $2, $3)`,
      [tk.id, JSON.stringify({ assignee_id: alex, by: 'routing' }), t.clock.now]);
    // An assignment more than an hour old (e.g. data from before the notice existed) is left alone.
    const old = await newTicket('ben@globex.example', 'Old assignment');
    await t.ctx.db.query('UPDATE tickets SET assignee_id = $2 WHERE id = $1', [old.id, alex]);
    await t.ctx.db.query(`INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at) VALUES ($1, 'system', NULL, 'assignee_changed', '{"assignee_id":null}', '{}', $2)`,
      [old.id, new Date(t.clock.now.getTime() - 2 * H)]);
    // The worker's pass (jobs/lifecycle-sweep.ts) no longer mails about assignments: the assignee starting does.
    expect((await runLifecycleSweep(t.ctx)).started).toBe(0);
    expect(await jobs(tk.id, 'mail.promise_work_started')).toHaveLength(0);
    expect(await jobs(old.id, 'mail.promise_work_started')).toHaveLength(0);
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/start-work`, agent)).body.notice).toBe('sent_now');
    expect(await jobs(tk.id, 'mail.promise_work_started')).toHaveLength(1);

    expect((await t.call('PATCH', '/api/v1/admin/lifecycle-settings', agent, { notices: { waiting_on_you: false } })).status).toBe(403);
    const bad = await t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { archive_after_days: 0, notices: { nope: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['archive_after_days']));
    const ok = await t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { notices: { waiting_on_you: false } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ solved_close_after_hours: 96, archive_after_days: 30, promise_warning_minutes: 30, notices: { waiting_on_you: false, work_started: true } });
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'pending' });
    expect(await jobs(tk.id, 'mail.promise_waiting_on_you')).toHaveLength(0);
    expect((await t.call('GET', '/api/v1/admin/lifecycle-settings', agent)).body.notices.waiting_on_you).toBe(false);
    await t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { notices: { waiting_on_you: true } });
  });

  it('a promise about to pass without an answer gets a new estimate, once per promise; the original is kept', async () => {
    await at('2025-09-01T10:00:00Z');
    const tk = await newTicket('oleg@acme.example', 'Slow');
    const first = (await ticket(tk.number)).promise;
    expect(first.promised_at).toBe('2025-09-01T11:00:00.000Z');
    await at('2025-09-01T10:29:00Z');
    await runLifecycleSweep(t.ctx);
    expect(await jobs(tk.id, 'mail.promise_changed')).toHaveLength(0);
    await at('2025-09-01T10:31:00Z');
    await runLifecycleSweep(t.ctx);
    await runLifecycleSweep(t.ctx);
    const changed = await jobs(tk.id, 'mail.promise_changed');
    expect(changed).toHaveLength(1);
    const p = (await ticket(tk.number)).promise;
    expect(p).toMatchObject({ promised_at: '2025-09-01T11:30:00.000Z', original_promised_at: '2025-09-01T11:00:00.000Z', basis: 'queue', reason: 'about_to_pass', changed: true });
    const mail = changed[0] ? await renderMail(t.ctx, changed[0]) : null;
    expect(mail?.text).toContain('Новый срок ответа');
    expect(mail?.text).toContain('14:30'); // 11:30Z in Moscow
    expect((await events(tk.number)).find((e) => e.kind === 'promise_changed')).toMatchObject({ actor: { kind: 'system' }, after: { reason: 'about_to_pass' } });
    // Answered before the new promise: no further notice.
    await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, agent, { body: 'Смотрим.', kind: 'public' });
    await at('2025-09-01T11:10:00Z');
    await runLifecycleSweep(t.ctx);
    expect(await jobs(tk.id, 'mail.promise_changed')).toHaveLength(1);
  });

  it('moves an unanswered promise on its own at most promise_auto_extensions times, then lets it stand', async () => {
    expect((await t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { promise_auto_extensions: -1 })).body.error.path).toBe('promise_auto_extensions');
    expect((await t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { promise_auto_extensions: 2 })).body.promise_auto_extensions).toBe(2);
    await at('2025-09-02T10:00:00Z');
    const tk = await newTicket('oleg@acme.example', 'Nobody answers');
    // Each pass runs just inside the lead of the current promise; only two of them may move it.
    for (let pass = 0; pass < 4; pass += 1) {
      const promised = Date.parse((await ticket(tk.number)).promise.promised_at);
      await at(new Date(promised - 20 * 60_000).toISOString());
      await runLifecycleSweep(t.ctx);
    }
    expect(await jobs(tk.id, 'mail.promise_changed')).toHaveLength(2);
    expect((await ticket(tk.number)).promise).toMatchObject({ original_promised_at: '2025-09-02T11:00:00.000Z', promised_at: '2025-09-02T12:00:00.000Z' });
  });
});

describe('reports', () => {
  it('closures and CSAT; stage deadlines met and breached', async () => {
    const closures = await t.call('GET', '/api/v1/reports/closures?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', sup);
    expect(closures.status).toBe(200);
    expect(closures.body).toMatchObject({ confirmed: 2, reopened: 1, rated: 2, average_rating: 3.5, csat_percent: 50, closed_after_silence: 3, archived: 4 });
    expect((await t.call('GET', '/api/v1/reports/closures', oleg)).status).toBe(403);

    await at('2025-10-01T10:00:00Z');
    const fast = await newTicket('ben@globex.example', 'Fast triage');
    const slow = await newTicket('ben@globex.example', 'Slow triage');
    await at('2025-10-01T10:10:00Z');
    await t.call('PATCH', `/api/v1/tickets/${fast.number}`, agent, { status: 'open' });
    await at('2025-10-01T11:00:00Z');
    await t.call('PATCH', `/api/v1/tickets/${slow.number}`, agent, { status: 'open' });
    const report = await t.call('GET', '/api/v1/reports/stage-deadlines?from=2025-10-01T00:00:00Z&to=2025-10-02T00:00:00Z', sup);
    expect(report.status).toBe(200);
    expect(report.body.metrics).toEqual([{ metric: 'stage_triage', started: 2, met: 1, breached: 1, running: 0, met_percent: 50, avg_minutes: 35 }]);
  });
});

describe('notice templates', () => {
  it('the notices are templates admins edit per language through the template admin API; reset brings the default text back', async () => {
    await at('2025-11-03T10:00:00Z');
    const keys = new Set(((await t.call('GET', '/api/v1/email/templates', admin)).body.data as { key: string }[]).map((x) => x.key));
    for (const key of ['promise_changed', 'work_started', 'waiting_on_you', 'closure_request']) expect(keys.has(key), key).toBe(true);
    // A placeholder of another kind of mail is refused, naming the field.
    const foreign = await t.call('PUT', '/api/v1/email/templates/waiting_on_you/en', admin, { subject: 'x', body: 'Solved? {{closure.solved_url}}' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.path).toBe('body');
    expect((await t.call('PUT', '/api/v1/email/templates/waiting_on_you/en', agent, { subject: 'x', body: 'y' })).status).toBe(403);
    const put = await t.call('PUT', '/api/v1/email/templates/waiting_on_you/en', admin, {
      subject: '[{{ticket.ref}}] Over to you', body: 'Hi {{requester.name}}, "{{ticket.subject}}" needs your answer: {{ticket.url}}',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ key: 'waiting_on_you', language: 'en', customized: true });

    const tk = await newTicket('notice.reader@example.com', 'Invoice copy');
    await t.ctx.db.query("UPDATE contacts SET language = 'en' WHERE email = 'notice.reader@example.com'");
    await t.call('PATCH', `/api/v1/tickets/${tk.number}`, agent, { status: 'pending' });
    const [job] = await jobs(tk.id, 'mail.promise_waiting_on_you');
    const name = (await t.ctx.db.query<{ name: string }>("SELECT name FROM contacts WHERE email = 'notice.reader@example.com'"))[0]?.name;
    const edited = job ? await renderMail(t.ctx, job) : null;
    expect(edited?.subject).toBe(`[#${tk.number}] Over to you`);
    expect(edited?.text).toBe(`Hi ${name}, "Invoice copy" needs your answer: http://replyby.test/portal/tickets/${tk.number}`);

    expect((await t.call('DELETE', '/api/v1/email/templates/waiting_on_you/en', admin)).body.customized).toBe(false);
    const restored = job ? await renderMail(t.ctx, job) : null;
    expect(restored?.subject).toBe(`[#${tk.number}] We are waiting for your answer`);
    expect(restored?.text).toBe(`Hello ${name},\n\nYour request #${tk.number} ("Invoice copy") is waiting for information from you. Please reply to this e-mail or at http://replyby.test/portal/tickets/${tk.number} so we can continue.`);
  });
});
