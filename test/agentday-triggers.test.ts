import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { pickText, renderTriggerText } from '../src/core/triage/trigger-messages.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 26: triggers send — e-mail the requester (in their language), the assignee, the
// group's members, and call a webhook — as outbox jobs of the firing transaction.

let t: TestApp;
let admin: string;
let receiver: http.Server;
let receiverUrl = '';
const received: { event: string; body: Record<string, unknown> }[] = [];
const mails: OutgoingMail[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@test.dev');
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ event: String(req.headers['x-replyby-event']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await t.close();
});

const jobs = (ticketId: string) => t.ctx.db.query<{ kind: string }>("SELECT kind FROM outbox WHERE payload->>'ticket_id' = $1 OR payload->'body'->>'ticket_id' = $1 ORDER BY id", [ticketId]);
const drain = async () => {
  await runDueJobs(t.ctx, async (m) => { mails.push(m); });
};

describe('trigger actions that send', () => {
  it('refuses unknown placeholders and a second text for one language, naming the field', async () => {
    const bad = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'Typo', events: ['created'], actions: { email_requester: { texts: [{ language: 'en', subject: 'Hi', body: 'Ticket {{ticket.numbr}}' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('actions.email_requester.texts[0].body');
    const twice = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'Twice', events: ['created'], actions: { email_group: { texts: [{ language: 'en', subject: 'a', body: 'b' }, { language: 'en', subject: 'c', body: 'd' }] } },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.path).toBe('actions.email_group.texts[1].language');
  });

  it('on a new ticket: the requester in Russian, each group member, and the webhook — queued with the ticket, delivered by the outbox', async () => {
    t.ctx.settings.allowPrivateUrls = true;
    try {
      const hook = await t.call('POST', '/api/v1/webhooks', admin, { url: receiverUrl, events: ['sla.breach'] });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const trigger = await t.call('POST', '/api/v1/triggers', admin, {
        name: 'Outage', events: ['created'], conditions: [{ field: 'subject', op: 'contains_any', value: ['outage', 'сбой'] }],
        actions: {
          add_tags: ['outage'],
          email_requester: { texts: [
            { language: 'en', subject: 'We know about the outage ({{ticket.ref}})', body: 'Hello {{requester.name}}, see {{ticket.url}}' },
            { language: 'ru', subject: 'Мы знаем о сбое ({{ticket.ref}})', body: 'Здравствуйте, {{requester.name}}! Следите здесь: {{ticket.url}}' },
          ] },
          email_group: { texts: [{ language: 'en', subject: '[{{trigger.name}}] {{ticket.ref}} {{ticket.subject}}', body: 'Open {{ticket.url}} ({{group.name}})' }] },
          webhook_id: hook.body.id,
        },
      });
      expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);
      await t.ctx.db.query("UPDATE contacts SET language = 'ru' WHERE id = $1", [t.fixtures.contacts.oleg]);
      const created = await t.call('POST', '/api/v1/tickets', admin, { subject: 'Сбой оплаты', message: 'Платежи не проходят', requester_id: t.fixtures.contacts.oleg, group_id: t.fixtures.groups.support, acknowledge: false });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const kinds = (await jobs(created.body.id)).map((j) => j.kind);
      expect(kinds.filter((k) => k === 'webhook.deliver')).toHaveLength(1);
      const members = await t.ctx.db.query<{ email: string }>('SELECT u.email FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active', [t.fixtures.groups.support]);
      expect(kinds.filter((k) => k === 'mail.trigger')).toHaveLength(1 + members.length);

      await drain();
      const oleg = mails.find((m) => m.to === 'oleg@acme.example');
      expect(oleg?.subject).toBe(`Мы знаем о сбое (#${created.body.number})`);
      expect(oleg?.text).toContain(`http://replyby.test/portal/tickets/${created.body.number}`);
      for (const m of members) {
        const staff = mails.find((x) => x.to === m.email);
        expect(staff?.subject).toBe(`[Outage] #${created.body.number} Сбой оплаты`);
        expect(staff?.text).toBe(`Open http://replyby.test/tickets/${created.body.number} (Support)`);
      }
      const call = received.find((r) => r.body.ticket_id === created.body.id);
      expect(call?.event).toBe('trigger.fired');
      expect(call?.body.data).toMatchObject({ trigger: { name: 'Outage' }, ticket: { number: created.body.number } });
    } finally {
      t.ctx.settings.allowPrivateUrls = false;
    }
  });

  it('on an update: e-mails the assignee the rule just set; no assignee, no mail', async () => {
    const trigger = await t.call('POST', '/api/v1/triggers', admin, {
      name: 'Escalate', events: ['updated'], conditions: [{ field: 'priority', op: 'is', value: ['urgent'] }],
      actions: { assignee_id: t.fixtures.users.agentBilling, email_assignee: { texts: [{ language: 'en', subject: '{{ticket.ref}} is yours', body: 'Assigned to {{assignee.name}}' }] } },
    });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);
    const created = await t.call('POST', '/api/v1/tickets', admin, { subject: 'Slow dashboard', message: 'x', requester_id: t.fixtures.contacts.ben, group_id: t.fixtures.groups.billing, acknowledge: false });
    expect((await jobs(created.body.id)).filter((j) => j.kind === 'mail.trigger')).toHaveLength(0);
    expect((await t.call('PATCH', `/api/v1/tickets/${created.body.number}`, admin, { priority: 'urgent' })).status).toBe(200);
    expect((await jobs(created.body.id)).filter((j) => j.kind === 'mail.trigger')).toHaveLength(1);
    mails.length = 0;
    await drain();
    const [bea] = await t.ctx.db.query<{ email: string; name: string }>('SELECT email, name FROM users WHERE id = $1', [t.fixtures.users.agentBilling]);
    expect(mails.filter((m) => m.subject === `#${created.body.number} is yours`).map((m) => [m.to, m.text])).toEqual([[bea?.email, `Assigned to ${bea?.name}`]]);
    expect((await t.call('GET', `/api/v1/tickets/${created.body.number}`, admin)).body.assignee.id).toBe(t.fixtures.users.agentBilling);
  });

  it('picks the reader\'s language, else English, else the first text', () => {
    const email = { texts: [{ language: 'bg' as const, subject: 'Здравейте', body: 'x' }, { language: 'en' as const, subject: 'Hello', body: 'x' }] };
    expect(pickText(email, 'bg-BG').subject).toBe('Здравейте');
    expect(pickText(email, 'zh').subject).toBe('Hello');
    expect(pickText({ texts: [{ language: 'ru', subject: 'Привет', body: 'x' }] }, 'en').subject).toBe('Привет');
    expect(renderTriggerText('{{ticket.ref}} {{ nope }}', { 'ticket.ref': '#1' })).toBe('#1 {{ nope }}');
  });
});
