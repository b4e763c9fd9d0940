import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveMail } from '../src/app/email/receive-mail.ts';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { installOfficeCommitments } from './helpers/office-commitments.ts';

// Issue 16: one promise, computed in one place and read everywhere — the published commitment for
// type × urgency × tier, the same on the confirmation, the ticket, the list and queue rows and the
// acknowledgement, in every channel and language; later (and saying why) only when the queue says so.

const MIN = 60_000;
const H = 60 * MIN;

let t: TestApp;
let sup: string;
let agent: string;
const tierContacts: Record<string, { email: string; id: string; token: string }> = {};
const TIERS = ['standard', 'priority', 'enterprise', 'vip'] as const;
const LANGS = ['en', 'ru', 'zh', 'bg'] as const;

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
  await installOfficeCommitments(t, sup);
  for (const [i, tier] of TIERS.entries()) {
    const org = await t.call('POST', '/api/v1/organizations', sup, { name: `Org ${tier}`, tier });
    expect(org.status).toBe(201);
    const email = `${tier}@customer.example`;
    const c = await t.call('POST', '/api/v1/contacts', sup, { email, name: `Customer ${tier}`, organization_id: org.body.id, password: 'portal-pass-1', language: LANGS[i], time_zone: 'Asia/Tokyo' });
    expect(c.status).toBe(201);
    tierContacts[tier] = { email, id: c.body.id, token: await t.signIn(email, 'portal-pass-1', true) };
  }
}, 180_000);
afterAll(() => t?.close());

// The oracle, written from the starting commitments' wording (not from the code): critical urgency is 1 hour
// for the top tiers, 2 hours otherwise; then by type.
const BY_TYPE: Record<string, number> = { technical_question: 24 * 60, complaint: 24 * 60, information_request: 48 * 60, quote: 48 * 60, custom_work: 48 * 60, suggestion: 72 * 60 };
function expectedMinutes(type: string, urgency: string, tier: string): number {
  if (urgency === 'critical') return tier === 'vip' || tier === 'enterprise' ? 60 : 120;
  return BY_TYPE[type] ?? 0;
}
const EN_WITHIN: Record<number, string> = { 60: '1 hour', 120: '2 hours', 1440: '24 hours', 2880: '48 hours', 4320: '72 hours' };

async function acknowledgementOf(ticketId: string): Promise<{ text: string; subject: string }> {
  const [job] = await t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>("SELECT kind, payload FROM outbox WHERE kind = 'mail.acknowledgement' AND payload->>'ticket_id' = $1", [ticketId]);
  const mail = job ? await renderMail(t.ctx, job) : null;
  if (!mail) throw new Error(`no acknowledgement for ${ticketId}`);
  return { text: mail.text, subject: mail.subject };
}

type Created = { number: number; promise: { promised_at: string; target_minutes: number | null; basis: string } };

async function create(channel: 'web_form' | 'portal' | 'api', tier: string, type: string, urgency: string): Promise<Created> {
  const who = tierContacts[tier];
  if (!who) throw new Error(tier);
  const body = { subject: `Question about ${type}`, message: 'Details follow in the attachment we will send.', type, urgency };
  const res = channel === 'web_form'
    ? await t.call('POST', '/api/v1/public/requests', null, { ...body, name: 'Customer', email: who.email })
    : channel === 'portal'
      ? await t.call('POST', '/api/v1/tickets', who.token, body)
      : await t.call('POST', '/api/v1/tickets', sup, { ...body, requester_id: who.id });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { number: res.body.number, promise: res.body.promise };
}

describe('every type × urgency × tier, in every channel and language: the commitment, the confirmation, the ticket, the rows and the acknowledgement agree', () => {
  it('holds for all 96 combinations', async () => {
    const types = (await t.call('GET', '/api/v1/public/commitments', null)).body.types.map((x: { key: string }) => x.key) as string[];
    expect(types.sort()).toEqual(Object.keys(BY_TYPE).sort());
    t.clock.set('2025-03-11T09:00:00Z'); // Tuesday 10:00 in Berlin: the office is open
    const channels = ['web_form', 'portal', 'api'] as const;
    let n = 0;
    for (const tier of TIERS) {
      const published = (await t.call('GET', '/api/v1/portal/commitments', tierContacts[tier]?.token)).body;
      for (const type of types) {
        for (const urgency of ['low', 'normal', 'high', 'critical']) {
          n += 1;
          t.clock.advanceMinutes(1);
          const now = t.clock.now.getTime();
          const minutes = expectedMinutes(type, urgency, tier);
          // What the portal publishes for this customer before they submit.
          const commitment = urgency === 'critical'
            ? published.by_urgency.find((u: { urgency: string }) => u.urgency === 'critical')
            : published.by_type.find((c: { type: string }) => c.type === type);
          expect(commitment?.target_minutes, `${tier}/${type}/${urgency} published`).toBe(minutes);
          const channel = channels[n % channels.length] ?? 'api';
          const created = await create(channel, tier, type, urgency);
          const label = `${tier}/${type}/${urgency} via ${channel}`;
          expect(Date.parse(created.promise.promised_at) - now, label).toBe(minutes * MIN);
          expect(created.promise).toMatchObject({ target_minutes: minutes, basis: 'sla' });
          const tk = (await t.call('GET', `/api/v1/tickets/${created.number}`, sup)).body;
          expect(tk.promise.promised_at, label).toBe(created.promise.promised_at);
          expect(Date.parse(tk.sla.metrics.first_response.due_at), label).toBe(Date.parse(created.promise.promised_at));
          // The list row and the queue row carry the same policy and promise.
          const row = (await t.call('GET', `/api/v1/tickets?q=${created.number}&status=new`, sup)).body.data.find((r: { number: number }) => r.number === created.number);
          expect(row?.promise?.promised_at, `${label} list row`).toBe(created.promise.promised_at);
          const [stored] = await t.ctx.db.query<{ id: string; policy: string; next_due: Date; language: string }>(
            'SELECT t.id, p.name AS policy, t.sla_next_due_at AS next_due, c.language FROM tickets t JOIN sla_policies p ON p.id = t.sla_policy_id JOIN contacts c ON c.id = t.requester_id WHERE t.number = $1', [created.number]);
          expect(stored?.policy, `${label} row policy`).toBe(tk.sla.policy_name);
          expect(stored?.next_due.getTime(), `${label} queue order key`).toBe(Date.parse(tk.sla.next_due_at));
          const ack = await acknowledgementOf(stored?.id ?? '');
          if (stored?.language === 'en') expect(ack.text, label).toContain(`— within ${EN_WITHIN[minutes]}.`);
          else expect(ack.text, label).not.toContain('within');
        }
      }
    }
    expect(n).toBe(4 * 6 * 4);
  }, 600_000);
});

describe('urgency from the words, by e-mail, in four languages', () => {
  const mail = (from: string, subject: string, body: string) => Buffer.from(
    `From: ${from}\r\nTo: help@replyby.test\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@client.example>\r\nDate: Tue, 11 Mar 2025 12:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}\r\n`);

  it.each([
    ['en', 'URGENT production down', 'All customers affected, nothing loads.', '2 hours'],
    ['ru', 'Не работает система', 'Наша производственная система не работает с утра, клиенты не могут ничего сделать.', '2 часов'],
    ['zh', '生产系统宕机', '我们的生产系统宕机了，所有客户都无法使用。', '2 小时'],
    ['bg', 'Системата не работи', 'Производствената ни система не работи от сутринта, клиентите не могат да направят нищо.', '2 часа'],
  ])('%s: a mail saying the system is down is promised the critical 2 hours, and the acknowledgement says so', async (_lang, subject, body, within) => {
    t.clock.set('2025-03-11T11:00:00Z');
    const outcome = await receiveMail(t.ctx, { raw: mail(`someone.${_lang}@example.net`, subject, body), source: 'test', envelopeTo: ['help@replyby.test'] });
    expect(outcome.ticketId).not.toBeNull();
    const tk = (await t.call('GET', `/api/v1/tickets/${outcome.ticketNumber}`, sup)).body;
    expect(tk.urgency).toBe('critical');
    expect(tk.sla.policy_name).toBe('Critical');
    expect(Date.parse(tk.promise.promised_at) - Date.parse('2025-03-11T11:00:00Z')).toBe(2 * H);
    const ack = await acknowledgementOf(outcome.ticketId ?? '');
    expect(ack.text).toContain(within);
  });
});

describe('a busy queue: the later, honest time, with the reason, and a duration that matches the date', () => {
  it('31 requests ahead at 120 minutes each for 3 agents: promised 21 hours after intake, "within 21 hours", because 31 are ahead', async () => {
    // History: tickets assigned and answered 120 minutes later (the group's median handling time).
    t.clock.set('2025-03-12T06:00:00Z');
    for (let i = 0; i < 3; i += 1) {
      const c = await t.call('POST', '/api/v1/tickets', sup, { subject: `History ${i}`, message: 'x', requester: { email: `hist${i}@example.org` }, group_id: t.fixtures.groups.billing });
      await t.call('PATCH', `/api/v1/tickets/${c.body.number}`, sup, { assignee_id: t.fixtures.users.agentBilling });
      t.clock.advanceMinutes(120);
      const reply = await t.call('POST', `/api/v1/tickets/${c.body.number}/messages`, sup, { body: 'Answer', kind: 'public' });
      expect(reply.status).toBe(201);
    }
    // 31 unanswered billing tickets, all due before the next one.
    for (let i = 0; i < 31; i += 1) {
      await t.call('POST', '/api/v1/tickets', sup, { subject: `Backlog ${i}`, message: 'x', type: 'complaint', requester: { email: `backlog${i}@example.org` }, group_id: t.fixtures.groups.billing });
    }
    t.clock.advanceMinutes(1);
    const at = t.clock.now.getTime();
    const res = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Invoice total is wrong', message: 'x', type: 'complaint', requester: { email: 'late@example.org' }, group_id: t.fixtures.groups.billing });
    const [{ agents }] = await t.ctx.db.query<{ agents: number }>(
      "SELECT count(*)::int AS agents FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active AND u.role <> 'admin'", [t.fixtures.groups.billing]) as [{ agents: number }];
    const ahead = res.body.promise.ahead as number;
    expect(ahead).toBeGreaterThanOrEqual(31);
    const workMinutes = Math.ceil((ahead * 120) / Math.max(1, agents));
    const statedHours = Math.ceil(workMinutes / 60);
    expect(workMinutes).toBeGreaterThan(24 * 60);
    expect(res.body.promise).toMatchObject({ basis: 'queue', commitment_minutes: 24 * 60, target_minutes: statedHours * 60 });
    expect(Date.parse(res.body.promise.promised_at) - at).toBe(statedHours * H);
    const ack = await acknowledgementOf((await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup)).body.id);
    expect(ack.text).toContain(`— within ${statedHours} hours.`);
    expect(ack.text).toContain(`We are busier than usual: ${ahead} requests are ahead of yours, so we cannot make our usual 24 hours`);
  });
});

describe('office hours', () => {
  it('a wall-clock promise made at 02:15 says when the team is back; a business-time promise falls inside open hours', async () => {
    t.clock.set('2025-03-13T01:15:00Z'); // Thursday 02:15 in Berlin
    const wall = await t.call('POST', '/api/v1/public/requests', null, { name: 'Night Owl', email: 'owl@example.org', subject: 'Question', message: 'How do I export?', type: 'technical_question' });
    expect(wall.body.promise).toMatchObject({ clock: 'calendar', target_minutes: 1440, back_at: '2025-03-13T08:00:00.000Z' });
    const [row] = await t.ctx.db.query<{ id: string }>('SELECT id FROM tickets WHERE number = $1', [wall.body.number]);
    const ack = await acknowledgementOf(row?.id ?? '');
    expect(ack.text).toMatch(/Our team is away right now and back on Thu 13 Mar, 09:00/);

    const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Business-hours gold', conditions: [{ field: 'tags', op: 'in', values: ['gold'] }],
      calendar_id: (await t.call('GET', '/api/v1/sla/calendars', sup)).body.data[0].id, metrics: [{ name: 'first_response', target_minutes: 240 }],
    });
    expect(policy.status).toBe(201);
    const all = (await t.call('GET', '/api/v1/sla/policies', sup)).body.data.map((p: { id: string }) => p.id) as string[];
    const reordered = await t.call('POST', '/api/v1/sla/policies/reorder', sup, { ids: [policy.body.id, ...all.filter((id) => id !== policy.body.id)] });
    expect(reordered.status).toBe(200);
    const biz = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Gold question', message: 'x', tags: ['gold'], requester: { email: 'gold@example.org' } });
    // 4 business hours from Thursday 02:15 Berlin = Thursday 13:00 Berlin, inside 09:00–17:00.
    expect(biz.body.promise).toMatchObject({ clock: 'business', target_minutes: 240, promised_at: '2025-03-13T12:00:00.000Z', back_at: '2025-03-13T08:00:00.000Z' });
    const bizAck = await acknowledgementOf(biz.body.id);
    expect(bizAck.text).toContain('— within 4 business hours.');
    expect(bizAck.text).toContain('back on Thu 13 Mar, 09:00');
  });
});

describe('after intake', () => {
  it('macros state the promise the customer has now ({{promise.*}}), in their language and zone', async () => {
    t.clock.set('2025-03-14T09:00:00Z');
    const c = tierContacts.standard;
    const res = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Macro', message: 'x', requester_id: c?.id, type: 'information_request' });
    const macro = await t.call('POST', '/api/v1/macros', sup, { title: 'Promise', language: 'en', body: 'Answer by {{promise.local}} ({{promise.within}}); date {{promise.date}}', shared: true });
    expect(macro.status).toBe(201);
    const before = await t.call('GET', `/api/v1/tickets/${res.body.number}/macros/${macro.body.id}/preview`, sup);
    expect(before.status).toBe(200);
    expect(before.body.text).toContain('(48 hours)');
    expect(before.body.text).toContain('Sun 16 Mar, 18:00 (Asia/Tokyo)');
    const moved = await t.call('POST', `/api/v1/tickets/${res.body.number}/promise`, sup, { promised_at: '2025-03-18T09:00:00Z', reason: 'Waiting for the vendor' });
    expect(moved.status).toBe(200);
    const after = await t.call('GET', `/api/v1/tickets/${res.body.number}/macros/${macro.body.id}/preview`, sup);
    expect(after.body.text).toContain('Tue 18 Mar, 18:00 (Asia/Tokyo)');
    expect(after.body.text).not.toContain('48 hours');
  });

  it('the portal says when it was answered, and when the customer\'s follow-up will be answered', async () => {
    t.clock.set('2025-03-14T10:00:00Z');
    const c = tierContacts.standard;
    const res = await t.call('POST', '/api/v1/tickets', c?.token, { subject: 'Portal follow-up', message: 'x', type: 'technical_question' });
    t.clock.advanceMinutes(30);
    expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/messages`, agent, { body: 'Here you go', kind: 'public' })).status).toBe(201);
    let seen = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, c?.token)).body.promise;
    expect(seen).toMatchObject({ answered_at: '2025-03-14T10:30:00.000Z', next_reply_by: null, kept: true });
    t.clock.advanceMinutes(30);
    expect((await t.call('POST', `/api/v1/tickets/${res.body.number}/messages`, c?.token, { body: 'One more question' })).status).toBe(201);
    seen = (await t.call('GET', `/api/v1/tickets/${res.body.number}`, c?.token)).body.promise;
    // The next-response target of the technical commitment is half the first one: 12 hours.
    expect(seen.next_reply_by).toBe('2025-03-14T23:00:00.000Z');
  });
});

describe('automatic triage may shorten a promise, never lengthen it', () => {
  it('a confident classifier that would move a 24-hour request to a 48-hour type only suggests; a change that keeps the promise applies', async () => {
    t.clock.set('2025-03-17T09:00:00Z');
    const admin = await t.signIn('admin@test.dev');
    for (let i = 0; i < 25; i += 1) {
      for (const [subject, message, type] of [
        [`Refund for invoice ${i}`, 'We were charged twice, please refund the invoice payment.', 'complaint'],
        [`How to export reports ${i}`, 'Where do I find the export button for reports?', 'information_request'],
      ] as const) {
        const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message, type, requester: { email: 'trainer@example.com' } });
        await t.call('PATCH', `/api/v1/tickets/${res.body.number}`, admin, { status: 'solved' });
      }
    }
    expect((await t.call('POST', '/api/v1/triage/classifier/train', admin)).status).toBe(200);
    expect((await t.call('PATCH', '/api/v1/triage/settings', admin, { classifier_threshold: 0.5 })).status).toBe(200);
    t.clock.advanceMinutes(5);
    const at = t.clock.now.getTime();
    // Not chosen by the customer (no type on the form): the classifier may act — but not to lengthen.
    const longer = await t.call('POST', '/api/v1/public/requests', null, { name: 'Exporter', email: 'exporter@example.org', subject: 'How to export reports', message: 'Where do I find the export button for reports?' });
    expect(longer.status).toBe(201);
    expect(Date.parse(longer.body.promise.promised_at) - at).toBe(24 * H);
    const tk = (await t.call('GET', `/api/v1/tickets/${longer.body.number}`, sup)).body;
    expect(tk.type).toBe('technical_question');
    expect(tk.sla.policy_name).toBe('Technical questions and complaints');
    expect((await t.call('GET', `/api/v1/tickets/${longer.body.number}/triage`, sup)).body.suggestion.type).toMatchObject({ label: 'information_request' });
    const same = await t.call('POST', '/api/v1/public/requests', null, { name: 'Payer', email: 'payer@example.org', subject: 'Refund for invoice', message: 'We were charged twice, please refund the invoice payment.' });
    expect((await t.call('GET', `/api/v1/tickets/${same.body.number}`, sup)).body.type).toBe('complaint');
    expect(Date.parse(same.body.promise.promised_at) - at).toBe(24 * H);
  });
});

describe('the acknowledgement offers the help centre\'s articles for the same words', () => {
  it('an e-mailed question about resetting a password gets the published article, and only that one', async () => {
    const admin = await t.signIn('admin@test.dev');
    const article = await t.call('POST', '/api/v1/kb/articles', admin, { title: 'Resetting your password', body: 'Open the sign-in page, choose "Forgot password" and follow the link we e-mail you.', language: 'en', status: 'published' });
    expect(article.status).toBe(201);
    await t.call('POST', '/api/v1/kb/articles', admin, { title: 'Exporting invoices', body: 'Invoices are exported from Billing → Export as CSV.', language: 'en', status: 'published' });
    const res = await t.call('POST', '/api/v1/public/requests', null, { name: 'Forgetful', email: 'forgetful@example.org', subject: 'I forgot my password', message: 'How do I reset my password? The sign-in page does not accept it.', type: 'technical_question' });
    const [row] = await t.ctx.db.query<{ id: string }>('SELECT id FROM tickets WHERE number = $1', [res.body.number]);
    const ack = await acknowledgementOf(row?.id ?? '');
    expect(ack.text).toContain('These articles may already answer your question:');
    expect(ack.text).toContain(`- Resetting your password: http://replyby.test/help/articles/${article.body.id}`);
    expect(ack.text).not.toContain('Exporting invoices');
  });
});
