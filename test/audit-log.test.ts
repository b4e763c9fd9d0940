import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Issue 21 item 3: every admin and configuration change leaves one row — actor, time, address, target,
// before and after — readable by admins only, filtered, paged, as CSV; the database refuses to change it.

let t: TestApp;
let admin: string;
let agent: string;
let sup: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, sup] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev'), t.signIn('super@test.dev')]);
});
afterAll(() => t.close());

type Row = { id: string; actor_email: string; address: string | null; action: string; target_type: string; target_id: string | null; before: any; after: any };
const log = async (query = '') => (await t.call('GET', `/api/v1/audit-log${query}`, admin)).body as { data: Row[]; next_cursor: string | null };
const latest = async () => (await log('?limit=1')).data[0] as Row;

describe('the audit log', () => {
  it('records each kind of change once, with before and after, actor and address', async () => {
    const count = async () => (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;
    const expectOne = async (change: () => Promise<{ status: number; body: any }>, target: string, action: string) => {
      const before = await count();
      const res = await change();
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      expect(await count()).toBe(before + 1);
      const row = await latest();
      expect(row, JSON.stringify(row)).toMatchObject({ target_type: target, action });
      return { row, res };
    };
    const cal = await expectOne(() => t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Sofia', spec: { timezone: 'Europe/Sofia', hours: { mon: [['09:00', '17:00']] } } }), 'calendar', 'create');
    expect(cal.row.actor_email).toBe('super@test.dev');
    expect(cal.row.address).toBe('127.0.0.1');
    expect(cal.row.before).toBeNull();
    const policy = await expectOne(() => t.call('POST', '/api/v1/sla/policies', admin, { name: 'Gold', calendar_id: cal.res.body.id, metrics: [{ name: 'first_response', target_minutes: 60 }] }), 'sla_policy', 'create');
    const changed = await expectOne(() => t.call('PATCH', `/api/v1/sla/policies/${policy.res.body.id}`, admin, { name: 'Platinum' }), 'sla_policy', 'update');
    expect(changed.row.before.name).toBe('Gold');
    expect(changed.row.after.name).toBe('Platinum');
    await expectOne(() => t.call('DELETE', `/api/v1/sla/policies/${policy.res.body.id}`, admin), 'sla_policy', 'delete');
    const routing = await expectOne(() => t.call('PATCH', `/api/v1/groups/${t.fixtures.groups.support}/routing`, admin, { skills: ['billing'] }), 'group_routing', 'update');
    expect(routing.row.after.skills).toEqual(['billing']);
    await expectOne(() => t.call('POST', '/api/v1/triggers', admin, { name: 'Tag VIP', events: ['created'], conditions: [], actions: { add_tags: ['vip'] } }), 'trigger', 'create');
    const settings = await expectOne(() => t.call('PATCH', '/api/v1/admin/lifecycle-settings', admin, { archive_after_days: 45 }), 'settings', 'update');
    expect(settings.row.after.archive_after_days).toBe(45);
    expect(settings.row.before.archive_after_days).not.toBe(45);
    const user = await expectOne(() => t.call('POST', '/api/v1/users', admin, { email: 'new@test.dev', name: 'New', role: 'agent', password: 'secret-pass-9', group_ids: [] }), 'user', 'create');
    const role = await expectOne(() => t.call('PATCH', `/api/v1/users/${user.res.body.id}`, admin, { role: 'supervisor', password: 'another-pass-9' }), 'user', 'update');
    expect([role.row.before.role, role.row.after.role, role.row.after.password_changed]).toEqual(['agent', 'supervisor', true]);
    expect(JSON.stringify(role.row)).not.toMatch(/scrypt|password_hash/);
    const token = await expectOne(() => t.call('POST', '/api/v1/api-tokens', agent, { name: 'CI' }), 'api_token', 'create');
    expect(JSON.stringify(token.row)).not.toContain(token.res.body.token);
    await expectOne(() => t.call('POST', '/api/v1/webhooks', admin, { url: 'https://hooks.example.com/x' }), 'webhook', 'create');
    const tpl = await expectOne(() => t.call('PUT', '/api/v1/email/templates/acknowledgement/en', admin, { subject: 'We got it', body: 'Thanks' }), 'template', 'update');
    const channel = await expectOne(() => t.call('POST', '/api/v1/channels', admin, { kind: 'webhook', name: 'Chat', url: 'https://hooks.example.com/chat' }), 'channel', 'create');
    expect(JSON.stringify(channel.row)).not.toContain(channel.res.body.secret);
    const renamed = await expectOne(() => t.call('PATCH', `/api/v1/channels/${channel.res.body.id}`, admin, { name: 'Live chat' }), 'channel', 'update');
    expect([renamed.row.before.name, renamed.row.after.name]).toEqual(['Chat', 'Live chat']);
    const roster = await expectOne(() => t.call('PUT', `/api/v1/planning/rosters/${user.res.body.id}`, admin, { zone: 'Europe/Sofia', weekly: { mon: [{ start: '09:00', end: '17:00' }] } }), 'roster', 'create');
    expect(roster.row.after.zone).toBe('Europe/Sofia');
    const unrostered = await expectOne(() => t.call('DELETE', `/api/v1/planning/rosters/${user.res.body.id}`, admin), 'roster', 'delete');
    expect(unrostered.row.before.weekly.mon).toEqual([{ start: '09:00', end: '17:00' }]);
    const group = await expectOne(() => t.call('POST', '/api/v1/groups', admin, { name: 'Accounts' }), 'group', 'create');
    const members = await expectOne(() => t.call('PUT', `/api/v1/groups/${group.res.body.id}/members`, admin, { user_ids: [user.res.body.id] }), 'group', 'update');
    expect([members.row.before.member_ids, members.row.after.member_ids]).toEqual([[], [user.res.body.id]]);
    const renamedGroup = await expectOne(() => t.call('PATCH', `/api/v1/groups/${group.res.body.id}`, admin, { name: 'Payments' }), 'group', 'update');
    expect([renamedGroup.row.before.name, renamedGroup.row.after.name]).toEqual(['Accounts', 'Payments']);
    await expectOne(() => t.call('POST', '/api/v1/email/support-addresses', admin, { address: 'billing@test.dev', group_id: group.res.body.id }), 'support_address', 'create');
    const gone = await expectOne(() => t.call('DELETE', '/api/v1/email/support-addresses/billing@test.dev', admin), 'support_address', 'delete');
    expect(gone.row.before.group_id).toBe(group.res.body.id);
    await expectOne(() => t.call('POST', '/api/v1/lists/types', admin, { key: 'refund', label: 'Refund' }), 'list_entry', 'create');
    const relabelled = await expectOne(() => t.call('PATCH', '/api/v1/lists/types/refund', admin, { label: 'Refund request' }), 'list_entry', 'update');
    expect([relabelled.row.before.label, relabelled.row.after.label]).toEqual(['Refund', 'Refund request']);
    expect(tpl.row.after.subject).toBe('We got it');
  });

  it('is for admins only', async () => {
    expect((await t.call('GET', '/api/v1/audit-log', agent)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/audit-log', sup)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/audit-log')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/audit-log?target_type=nope', admin)).body.error.path).toBe('target_type');
  });

  it('filters by actor, target type and time, pages by cursor, exports CSV', async () => {
    const byTarget = await log('?target_type=sla_policy');
    expect(byTarget.data.map((r) => r.action)).toEqual(['delete', 'update', 'create']);
    const supId = (await t.ctx.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'super@test.dev'"))[0]!.id;
    expect((await log(`?actor=${supId}`)).data.map((r) => r.target_type)).toEqual(['calendar']);
    expect((await log('?from=2030-01-01T00:00:00Z')).data).toEqual([]);
    const all = (await log('?limit=500')).data.map((r) => r.id);
    const paged: string[] = [];
    for (let page = await log('?limit=4'); ; page = await log(`?limit=4&cursor=${page.next_cursor}`)) {
      paged.push(...page.data.map((r) => r.id));
      if (!page.next_cursor) break;
    }
    expect(paged).toEqual(all);
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/audit-log?format=csv&target_type=calendar', headers: { authorization: `Bearer ${admin}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_id,actor_email,address,action,target_type,target_id,before,after');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('super@test.dev');
  });

  it('is append-only in the database', async () => {
    await expect(t.ctx.db.query("UPDATE audit_log SET actor_email = 'someone@else'")).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await log('?limit=500')).data.every((r) => r.actor_email !== 'someone@else')).toBe(true);
  });

  it('records the newer admin screens: surge thresholds, calendar feeds, diagnosis fields, organizations, surges, resets, training, widget, cost rates, retention', async () => {
    const count = async () => (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;
    const expectOne = async (change: () => Promise<{ status: number; body: any }>, target: string, action: string) => {
      const before = await count();
      const res = await change();
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      expect(await count(), `${target} ${action}`).toBe(before + 1);
      const row = await latest();
      expect(row, JSON.stringify(row)).toMatchObject({ target_type: target, action, address: '127.0.0.1' });
      return { row, res };
    };
    const group = t.fixtures.groups.support;
    const set = await expectOne(() => t.call('PUT', `/api/v1/planning/surge-thresholds/${group}`, admin, { min_extra_arrivals: 12 }), 'surge_thresholds', 'create');
    expect([set.row.target_id, set.row.before, set.row.after.min_extra_arrivals, set.row.actor_email]).toEqual([group, null, 12, 'admin@test.dev']);
    const raised = await expectOne(() => t.call('PUT', `/api/v1/planning/surge-thresholds/${group}`, admin, { min_extra_arrivals: 20, backlog_start: 3, backlog_calm: 1 }), 'surge_thresholds', 'update');
    expect([raised.row.before.min_extra_arrivals, raised.row.after.min_extra_arrivals, raised.row.after.backlog_start]).toEqual([12, 20, 3]);
    const dropped = await expectOne(() => t.call('DELETE', `/api/v1/planning/surge-thresholds/${group}`, admin), 'surge_thresholds', 'delete');
    expect([dropped.row.before.min_extra_arrivals, dropped.row.after]).toEqual([20, null]);

    const cal = (await t.call('POST', '/api/v1/sla/calendars', sup, { name: 'Feeds', spec: { timezone: 'Europe/Sofia', hours: { mon: [['09:00', '17:00']] } } })).body;
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Replyby test//EN', 'BEGIN:VEVENT', 'UID:day@test', 'DTSTAMP:20240101T000000Z',
      'DTSTART;VALUE=DATE:20260801', 'DTEND;VALUE=DATE:20260802', 'SUMMARY:Company day', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const feed = await expectOne(() => t.call('POST', `/api/v1/sla/calendars/${cal.id}/ics`, sup, { ics }), 'calendar', 'update');
    expect([feed.row.target_id, feed.row.before.holiday_feeds, feed.row.after.holiday_feeds, feed.row.actor_email]).toEqual([cal.id, 0, 1, 'super@test.dev']);

    await expectOne(() => t.call('POST', '/api/v1/diagnosis-fields', admin, { key: 'root_part', label: 'Part', options: ['disk', 'fan'] }), 'diagnosis_field', 'create');
    const retired = await expectOne(() => t.call('PATCH', '/api/v1/diagnosis-fields/root_part', admin, { active: false }), 'diagnosis_field', 'update');
    expect([retired.row.before.active, retired.row.after.active]).toEqual([true, false]);

    const org = await expectOne(() => t.call('POST', '/api/v1/organizations', sup, { name: 'Initech' }), 'organization', 'create');
    const tier = await expectOne(() => t.call('PATCH', `/api/v1/organizations/${org.res.body.id}`, sup, { name: 'Initech Ltd' }), 'organization', 'update');
    expect([tier.row.before.name, tier.row.after.name]).toEqual(['Initech', 'Initech Ltd']);

    const surge = await expectOne(() => t.call('POST', '/api/v1/planning/surges', sup, { message: 'Outage: answers take longer today' }), 'surge', 'start');
    expect(surge.row.after).toMatchObject({ group_id: null, message: 'Outage: answers take longer today' });
    const ended = await expectOne(() => t.call('POST', '/api/v1/planning/surges/end', sup, {}), 'surge', 'end');
    expect(ended.row.target_id).toBe(surge.row.target_id);

    const reset = await expectOne(() => t.call('POST', `/api/v1/users/${t.fixtures.users.agentSupport}/password-reset`, admin), 'user', 'update');
    expect(reset.row.after).toEqual({ password_reset_sent: true });
    await expectOne(() => t.call('POST', '/api/v1/triage/classifier/train', sup), 'classifier', 'update');

    // Screens that write through audited use cases already: the chat widget (a channel), cost rates, retention.
    // The first widget also makes its SLA policy: two rows, each its own.
    const widget = (await t.call('POST', '/api/v1/channels', admin, { kind: 'widget', name: 'Site chat' })).body;
    expect((await log('?limit=2')).data.map((r) => [r.target_type, r.action])).toEqual(expect.arrayContaining([['channel', 'create'], ['sla_policy', 'create']]));
    const origins = await expectOne(() => t.call('PATCH', `/api/v1/channels/${widget.id}`, admin, { widget: { allowed_origins: ['https://shop.example.com'] } }), 'channel', 'update');
    expect(JSON.stringify(origins.row.after)).toContain('https://shop.example.com');
    await expectOne(() => t.call('PUT', '/api/v1/reports/cost-rates', admin, { scope: 'group', target_id: group, hourly_rate: 40 }), 'settings', 'create');
    await expectOne(() => t.call('PATCH', '/api/v1/admin/retention-settings', admin, { enabled: true, months: 24 }), 'settings', 'update');
    // The older screens no test above touched: an agent's routing, a shared macro, a contact's export, an import.
    const routing = await expectOne(() => t.call('PATCH', `/api/v1/routing/agents/${t.fixtures.users.agentSupport}`, admin, { capacity: 7 }), 'agent_routing', 'update');
    expect(routing.row.after.capacity).toBe(7);
    await expectOne(() => t.call('POST', '/api/v1/macros', sup, { title: 'Shared', language: 'en', body: 'Hello', shared: true }), 'macro', 'create');
    await expectOne(() => t.call('GET', `/api/v1/contacts/${t.fixtures.contacts.anna}/export`, admin), 'contact', 'export');
    const dir = new URL('./fixtures/import/', import.meta.url);
    const file = readFileSync(new URL('incidents.csv', dir), 'utf8');
    const mapping = JSON.parse(readFileSync(new URL('incidents-mapping.json', dir), 'utf8')) as unknown;
    const started = await expectOne(() => t.call('POST', '/api/v1/imports', admin, { kind: 'events', file, mapping, dry_run: true }), 'import', 'start');
    expect(started.row.after).toMatchObject({ kind: 'events', dry_run: true });
    for (let i = 0; i < 400 && !(await t.call('GET', `/api/v1/imports/${started.res.body.id}`, admin)).body.done; i++) await new Promise((r) => setTimeout(r, 25));

    // A refused change leaves nothing: the row commits with the change or not at all.
    const before = await count();
    expect((await t.call('PUT', `/api/v1/planning/surge-thresholds/${group}`, sup, {})).status).toBe(403);
    expect((await t.call('PATCH', '/api/v1/diagnosis-fields/root_part', admin, { options: 'x' })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  // Every signed-in write of the route table outside a ticket's own work either leaves an audit row (its target
  // named here) or says why not: a new admin screen fails this until someone decides. Runs last, so the rows of
  // the tests above show each named target was really written.
  it('covers every admin write of the route table, or says why not', async () => {
    const NOT_AUDITED: Record<string, string> = {
      'POST /api/v1/contacts': 'customer records every agent keeps, not configuration',
      'PATCH /api/v1/contacts/{id}': 'customer records every agent keeps, not configuration',
      'POST /api/v1/kb/articles': 'help-centre content agents write', 'PATCH /api/v1/kb/articles/{id}': 'help-centre content',
      'POST /api/v1/kb/articles/{id}/archive': 'help-centre content', 'POST /api/v1/kb/articles/{id}/restore': 'help-centre content',
      'POST /api/v1/kb/categories': 'help-centre content', 'PATCH /api/v1/kb/categories/{id}': 'help-centre content', 'DELETE /api/v1/kb/categories/{id}': 'help-centre content',
      'PATCH /api/v1/reports/csat/low-scores/{id}': "a supervisor's note on one rating (kept with its author)",
      'POST /api/v1/sla/simulate': 'computes', 'POST /api/v1/planning/erlang': 'computes', 'POST /api/v1/planning/whatif': 'computes',
      'POST /api/v1/email/templates/{key}/{language}/preview': 'computes',
      'PATCH /api/v1/auth/me': "one's own name, language and zone", 'POST /api/v1/auth/sign-out': 'ends a session',
      'PUT /api/v1/me/working-hours': "one's own mail hours", 'PUT /api/v1/routing/me/availability': "one's own online/away",
      'POST /api/v1/me/two-factor/enrolment': 'a secret not yet in force (confirming it is audited)',
      'POST /api/v1/notifications/read': "one's own inbox", 'POST /api/v1/notifications/read-all': "one's own inbox", 'POST /api/v1/notifications/{id}/read': "one's own inbox",
      'POST /api/v1/views/saved': "one's own saved view", 'DELETE /api/v1/views/saved/{id}': "one's own saved view",
      'POST /api/v1/portal/tickets/{ref}/closure': "a customer's answer, in the ticket's event log",
    };
    const AUDITED: Record<string, string> = {
      'PATCH /api/v1/admin/lifecycle-settings': 'settings', 'PUT /api/v1/admin/read-only': 'settings', 'PATCH /api/v1/admin/retention-settings': 'settings',
      'PUT /api/v1/admin/two-factor': 'settings', 'POST /api/v1/me/two-factor/confirm': 'user', 'DELETE /api/v1/users/{id}/two-factor': 'user',
      'POST /api/v1/api-tokens': 'api_token', 'PATCH /api/v1/api-tokens/{id}': 'api_token', 'DELETE /api/v1/api-tokens/{id}': 'api_token',
      'POST /api/v1/channels': 'channel', 'PATCH /api/v1/channels/{id}': 'channel', 'POST /api/v1/contacts/{id}/erase': 'contact',
      'POST /api/v1/diagnosis-fields': 'diagnosis_field', 'PATCH /api/v1/diagnosis-fields/{key}': 'diagnosis_field',
      'POST /api/v1/email/support-addresses': 'support_address', 'DELETE /api/v1/email/support-addresses/{address}': 'support_address',
      'PUT /api/v1/email/templates/{key}/{language}': 'template', 'DELETE /api/v1/email/templates/{key}/{language}': 'template',
      'POST /api/v1/groups': 'group', 'PATCH /api/v1/groups/{id}': 'group', 'PUT /api/v1/groups/{id}/members': 'group', 'PATCH /api/v1/groups/{id}/routing': 'group_routing',
      'POST /api/v1/imports': 'import', 'POST /api/v1/lists/{list}': 'list_entry', 'PATCH /api/v1/lists/{list}/{key}': 'list_entry',
      'POST /api/v1/macros': 'macro', 'PATCH /api/v1/macros/{id}': 'macro', 'DELETE /api/v1/macros/{id}': 'macro',
      'POST /api/v1/organizations': 'organization', 'PATCH /api/v1/organizations/{id}': 'organization',
      'POST /api/v1/planning/rosters/import': 'roster', 'PUT /api/v1/planning/rosters/{user_id}': 'roster', 'DELETE /api/v1/planning/rosters/{user_id}': 'roster',
      'PUT /api/v1/planning/surge-thresholds/{group_id}': 'surge_thresholds', 'DELETE /api/v1/planning/surge-thresholds/{group_id}': 'surge_thresholds',
      'POST /api/v1/planning/surges': 'surge', 'POST /api/v1/planning/surges/end': 'surge',
      'PUT /api/v1/reports/cost-rates': 'settings', 'PUT /api/v1/reports/weekly-email': 'settings', 'PATCH /api/v1/routing/agents/{id}': 'agent_routing',
      'POST /api/v1/sla/calendars': 'calendar', 'PATCH /api/v1/sla/calendars/{id}': 'calendar', 'DELETE /api/v1/sla/calendars/{id}': 'calendar', 'POST /api/v1/sla/calendars/{id}/ics': 'calendar',
      'POST /api/v1/sla/policies': 'sla_policy', 'PATCH /api/v1/sla/policies/{id}': 'sla_policy', 'DELETE /api/v1/sla/policies/{id}': 'sla_policy', 'POST /api/v1/sla/policies/reorder': 'sla_policy',
      'POST /api/v1/triage/classifier/train': 'classifier', 'PATCH /api/v1/triage/settings': 'settings',
      'POST /api/v1/triggers': 'trigger', 'PATCH /api/v1/triggers/{id}': 'trigger', 'DELETE /api/v1/triggers/{id}': 'trigger', 'PUT /api/v1/triggers/order': 'trigger',
      'POST /api/v1/users': 'user', 'PATCH /api/v1/users/{id}': 'user', 'POST /api/v1/users/{id}/password-reset': 'user',
      'POST /api/v1/webhooks': 'webhook', 'PATCH /api/v1/webhooks/{id}': 'webhook', 'DELETE /api/v1/webhooks/{id}': 'webhook',
      'POST /api/v1/webhooks/deliveries/{id}/resend': 'webhook_delivery', 'POST /api/v1/webhooks/dead-letters/{id}/retry': 'webhook_delivery',
    };
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const writes: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // A ticket's own work is in its event log (GET /api/v1/tickets/:ref/events), not the admin log.
        if (method === 'get' || !op.security || path === '/api/v1/tickets' || path.startsWith('/api/v1/tickets/')) continue;
        writes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(writes.filter((w) => !(w in AUDITED) && !(w in NOT_AUDITED)), 'writes neither audited nor said why not').toEqual([]);
    expect([...Object.keys(AUDITED), ...Object.keys(NOT_AUDITED)].filter((w) => !writes.includes(w)), 'entries for routes that are gone').toEqual([]);
    const written = new Set((await t.ctx.db.query<{ target_type: string }>('SELECT DISTINCT target_type FROM audit_log')).map((r) => r.target_type));
    // A delivery sent again needs a failing receiver: test/integrations.test.ts checks its row.
    written.add('webhook_delivery');
    expect([...new Set(Object.values(AUDITED))].filter((target) => !written.has(target)).sort(), 'targets no test above wrote').toEqual([]);
  });
});
