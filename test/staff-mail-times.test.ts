import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../src/app/context.ts';
import { notify } from '../src/app/notifications/notify.ts';
import { runDueJobs } from '../src/jobs/outbox-worker.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 17: staff mails said "due 2026-11-25T09:31:05.644Z". The instants in a notification are
// shown in each recipient's own language and zone (users.language, users.time_zone) when their mail is rendered.

let t: TestApp;
const mails: OutgoingMail[] = [];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const deliver = async () => {
  await runDueJobs(t.ctx, async (m) => { mails.push(m); });
  await runDueJobs(t.ctx, async (m) => { mails.push(m); });
};

describe('staff mail instants', () => {
  it('each recipient reads the due time in their own zone and language, never raw UTC', async () => {
    const { agentSupport, agentBilling } = t.fixtures.users;
    await t.ctx.db.query("UPDATE users SET language = 'ru', time_zone = 'Europe/Moscow' WHERE id = $1", [agentSupport]);
    await t.ctx.db.query("UPDATE users SET language = 'en', time_zone = 'America/New_York' WHERE id = $1", [agentBilling]);
    t.clock.set('2025-11-25T08:00:00Z');
    await t.ctx.db.transaction((tx) => notify(tx, {
      event: 'sla.warning', ticketId: null, title: 'SLA warning: first response of #7 is due soon',
      body: 'Printer on fire (due 2025-11-25T09:31:05.644Z)', urgent: true, recipients: [agentSupport, agentBilling],
    }, t.ctx.now()));
    await deliver();
    const to = (email: string) => mails.find((m) => m.to === email)?.text ?? '';
    expect(to('alex@test.dev')).toContain('(due вт 25 нояб., 12:31 (Europe/Moscow))');
    expect(to('bea@test.dev')).toContain('(due Tue 25 Nov, 04:31 (America/New_York))');
    for (const m of mails) expect(m.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});
