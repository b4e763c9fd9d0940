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
});
