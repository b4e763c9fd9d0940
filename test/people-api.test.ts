import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Users, groups, organizations, contacts and the editable lists (supervisor/admin manage; agents read).

let t: TestApp;
let admin: string;
let sup: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, sup, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('super@test.dev'), t.signIn('alex@test.dev')]);
});
afterAll(() => t.close());

const expectError = (res: { status: number; body: any }, status: number, code: string, path?: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (path !== undefined) expect(res.body.error.path).toBe(path);
};

describe('users', () => {
  it('a supervisor creates an agent in groups; the password is never shown and works', async () => {
    const res = await t.call('POST', '/api/v1/users', sup, {
      email: 'Dana@Test.dev', name: 'Dana', password: 'dana-password', language: 'bg', time_zone: 'Europe/Sofia', group_ids: [t.fixtures.groups.billing],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'dana@test.dev', name: 'Dana', role: 'agent', language: 'bg', time_zone: 'Europe/Sofia',
      group_ids: [t.fixtures.groups.billing], active: true,
    });
    const dana = await t.signIn('dana@test.dev', 'dana-password');
    const me = await t.call('GET', '/api/v1/auth/me', dana);
    expect(me.body.principal).toMatchObject({ role: 'agent', time_zone: 'Europe/Sofia', language: 'bg' });
    expect((await t.call('GET', `/api/v1/users/${res.body.id}`, agent)).body).toEqual(res.body);
    const all = await t.call('GET', '/api/v1/users', agent);
    expect(all.status).toBe(200);
    expect(all.body.data.map((u: { email: string }) => u.email)).toContain('dana@test.dev');
    expect(JSON.stringify(all.body)).not.toMatch(/password|scrypt/);
  });

  it('only managers create users, and only an admin creates or changes an admin', async () => {
    expectError(await t.call('POST', '/api/v1/users', agent, { email: 'x1@test.dev', name: 'X', password: 'long-enough' }), 403, 'forbidden');
    expectError(await t.call('POST', '/api/v1/users', sup, { email: 'x2@test.dev', name: 'X', password: 'long-enough', role: 'admin' }), 403, 'forbidden');
    const admin2 = await t.call('POST', '/api/v1/users', admin, { email: 'x3@test.dev', name: 'X3', password: 'long-enough', role: 'admin' });
    expect(admin2.status).toBe(201);
    expect(admin2.body.role).toBe('admin');
    expectError(await t.call('PATCH', `/api/v1/users/${admin2.body.id}`, sup, { name: 'Renamed by sup' }), 403, 'forbidden');
    const sup2 = await t.call('POST', '/api/v1/users', sup, { email: 'x4@test.dev', name: 'X4', password: 'long-enough', role: 'supervisor' });
    expect(sup2.status).toBe(201);
    expectError(await t.call('PATCH', `/api/v1/users/${sup2.body.id}`, sup, { role: 'admin' }), 403, 'forbidden');
    const customer = await t.signIn('anna@acme.example', PASSWORD, true);
    expectError(await t.call('GET', '/api/v1/users', customer), 403, 'forbidden');
    const emails = (await t.call('GET', '/api/v1/users', admin)).body.data.map((u: { email: string }) => u.email);
    expect(emails).not.toContain('x1@test.dev');
    expect(emails).not.toContain('x2@test.dev');
  });

  it('rejects duplicates and bad fields with the field path, writing nothing', async () => {
    const base = { name: 'Eve', password: 'long-enough' };
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'ALEX@test.dev' }), 409, 'conflict', 'email');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', time_zone: 'Mars/Olympus' }), 400, 'invalid_input', 'time_zone');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', language: 'english' }), 400, 'invalid_input', 'language');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', role: 'owner' }), 400, 'invalid_input', 'role');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', password: 'short' }), 400, 'invalid_input', 'password');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'not-an-email' }), 400, 'invalid_input', 'email');
    const unknownGroup = '00000000-0000-4000-8000-000000000000';
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', group_ids: [unknownGroup] }), 400, 'invalid_input', 'group_ids[0]');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', group_ids: [t.fixtures.groups.support, t.fixtures.groups.support, unknownGroup] }), 400, 'invalid_input', 'group_ids[2]');
    expectError(await t.call('POST', '/api/v1/users', sup, { ...base, email: 'eve@test.dev', group_ids: ['nope'] }), 400, 'invalid_input', 'group_ids[0]');
    // The failed attempts left no user behind (the one with an unknown group got as far as the insert).
    expect(await t.ctx.db.query("SELECT 1 FROM users WHERE email = 'eve@test.dev'")).toHaveLength(0);
  });

  it('a partial change touches only the fields sent', async () => {
    const created = await t.call('POST', '/api/v1/users', sup, {
      email: 'frank@test.dev', name: 'Frank', password: 'frank-password', role: 'supervisor', language: 'ru', time_zone: 'Europe/Moscow',
      group_ids: [t.fixtures.groups.support, t.fixtures.groups.billing],
    });
    expect(created.status).toBe(201);
    const renamed = await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { name: 'Franklin' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...created.body, name: 'Franklin' });
    const moved = await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { group_ids: [t.fixtures.groups.billing] });
    expect(moved.body).toEqual({ ...created.body, name: 'Franklin', group_ids: [t.fixtures.groups.billing] });
    // The password still works after changes that did not mention it.
    await t.signIn('frank@test.dev', 'frank-password');
    expectError(await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { time_zone: 'Nowhere/Else' }), 400, 'invalid_input', 'time_zone');
    expectError(await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { email: 'new@test.dev' }), 400, 'invalid_input');
    expectError(await t.call('PATCH', '/api/v1/users/00000000-0000-4000-8000-000000000000', sup, { name: 'Ghost' }), 404, 'not_found');
  });

  it('deactivating a user keeps the record and stops sign-in', async () => {
    const created = await t.call('POST', '/api/v1/users', sup, { email: 'gone@test.dev', name: 'Gone', password: 'gone-password', group_ids: [t.fixtures.groups.support] });
    const off = await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ ...created.body, active: false });
    expect((await t.call('POST', '/api/v1/auth/sign-in', null, { email: 'gone@test.dev', password: 'gone-password' })).status).toBe(401);
    // An inactive user cannot be given tickets.
    const tk = await t.call('POST', '/api/v1/tickets', sup, { subject: 's', message: 'm', requester: { email: 'r@example.org' } });
    expectError(await t.call('PATCH', `/api/v1/tickets/${tk.body.number}`, sup, { assignee_id: created.body.id }), 400, 'invalid_input', 'assignee_id');
    const on = await t.call('PATCH', `/api/v1/users/${created.body.id}`, sup, { active: true });
    expect(on.body.active).toBe(true);
    await t.signIn('gone@test.dev', 'gone-password');
  });
});

describe('groups', () => {
  it('creates groups, refuses duplicate names, and keeps exactly one default', async () => {
    const res = await t.call('POST', '/api/v1/groups', sup, { name: 'Returns', description: 'Parcels coming back' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), name: 'Returns', description: 'Parcels coming back', is_default: false });
    expectError(await t.call('POST', '/api/v1/groups', sup, { name: 'Returns' }), 409, 'conflict', 'name');
    expectError(await t.call('POST', '/api/v1/groups', sup, { name: '' }), 400, 'invalid_input', 'name');
    expectError(await t.call('POST', '/api/v1/groups', agent, { name: 'Mine' }), 403, 'forbidden');

    const vip = await t.call('POST', '/api/v1/groups', admin, { name: 'VIP desk', is_default: true });
    expect(vip.body.is_default).toBe(true);
    const defaults = async () => (await t.call('GET', '/api/v1/groups', agent)).body.data.filter((g: { is_default: boolean }) => g.is_default).map((g: { id: string }) => g.id);
    expect(await defaults()).toEqual([vip.body.id]);
    // New requests without a group land in the new default group.
    const tk = await t.call('POST', '/api/v1/public/requests', null, { name: 'N', email: 'n@example.org', subject: 's', message: 'm' });
    expect((await t.call('GET', `/api/v1/tickets/${tk.body.number}`, sup)).body.group.id).toBe(vip.body.id);

    const back = await t.call('PATCH', `/api/v1/groups/${t.fixtures.groups.support}`, sup, { is_default: true });
    expect(back.body.is_default).toBe(true);
    expect(await defaults()).toEqual([t.fixtures.groups.support]);
  });

  it('a partial change touches only the fields sent', async () => {
    const res = await t.call('POST', '/api/v1/groups', sup, { name: 'Hardware', description: 'Things that break' });
    await t.call('PATCH', `/api/v1/groups/${t.fixtures.groups.support}`, sup, { is_default: true });
    const renamed = await t.call('PATCH', `/api/v1/groups/${res.body.id}`, sup, { name: 'Hardware & devices' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Hardware & devices', description: 'Things that break', is_default: false });
    // Renaming the default group keeps it the default.
    const support = await t.call('PATCH', `/api/v1/groups/${t.fixtures.groups.support}`, sup, { description: 'First line' });
    expect(support.body).toMatchObject({ name: 'Support', description: 'First line', is_default: true });
    expectError(await t.call('PATCH', `/api/v1/groups/${res.body.id}`, sup, { name: 'Billing' }), 409, 'conflict', 'name');
  });
});

describe('organizations', () => {
  it('creates an organization with a tier and mail domains; its domain links new requesters', async () => {
    const res = await t.call('POST', '/api/v1/organizations', sup, { name: 'Initech', tier: 'vip', domains: ['Initech.example', 'initech.example', 'mail.initech.example'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Initech', tier: 'vip', domains: ['initech.example', 'mail.initech.example'] });
    const tk = await t.call('POST', '/api/v1/tickets', agent, { subject: 'TPS reports', message: 'm', requester: { email: 'peter@mail.initech.example' } });
    expect(tk.body.organization).toEqual({ id: res.body.id, name: 'Initech', tier: 'vip' });
    expect((await t.call('GET', `/api/v1/organizations/${res.body.id}`, agent)).body.name).toBe('Initech');
  });

  it('rejects a bad tier, a bad domain and a duplicate name with the field path', async () => {
    expectError(await t.call('POST', '/api/v1/organizations', sup, { name: 'Umbrella', tier: 'platinum' }), 400, 'invalid_input', 'tier');
    expectError(await t.call('POST', '/api/v1/organizations', sup, { name: 'Umbrella', domains: ['ok.example', 'not a domain'] }), 400, 'invalid_input', 'domains[1]');
    expectError(await t.call('POST', '/api/v1/organizations', sup, { name: 'Acme' }), 409, 'conflict', 'name');
    expectError(await t.call('POST', '/api/v1/organizations', agent, { name: 'Umbrella' }), 403, 'forbidden');
    expect(await t.ctx.db.query("SELECT 1 FROM organizations WHERE name = 'Umbrella'")).toHaveLength(0);
    const created = await t.call('POST', '/api/v1/organizations', sup, { name: 'Umbrella' });
    expect(created.body).toMatchObject({ tier: 'standard', domains: [] });
    expectError(await t.call('PATCH', `/api/v1/organizations/${created.body.id}`, sup, { tier: 'platinum' }), 400, 'invalid_input', 'tier');
  });

  it('a partial change touches only the fields sent', async () => {
    const res = await t.call('POST', '/api/v1/organizations', sup, { name: 'Hooli', tier: 'priority', domains: ['hooli.example'] });
    const renamed = await t.call('PATCH', `/api/v1/organizations/${res.body.id}`, sup, { name: 'Hooli XYZ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Hooli XYZ', tier: 'priority', domains: ['hooli.example'] });
    const retiered = await t.call('PATCH', `/api/v1/organizations/${res.body.id}`, sup, { tier: 'enterprise' });
    expect(retiered.body).toMatchObject({ name: 'Hooli XYZ', tier: 'enterprise', domains: ['hooli.example'] });
  });
});

describe('contacts', () => {
  it('creates a contact (with a portal password), refuses a duplicate e-mail, checks the organization', async () => {
    const res = await t.call('POST', '/api/v1/contacts', sup, { email: 'Carla@Acme.example', name: 'Carla', organization_id: t.fixtures.orgs.acme, time_zone: 'America/Chicago', password: 'carla-password' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'carla@acme.example', name: 'Carla', language: 'en', time_zone: 'America/Chicago', organization_id: t.fixtures.orgs.acme, is_org_manager: false });
    expect(JSON.stringify(res.body)).not.toMatch(/password/);
    await t.signIn('carla@acme.example', 'carla-password', true);
    expectError(await t.call('POST', '/api/v1/contacts', agent, { email: 'carla@acme.example', name: 'Again' }), 409, 'conflict', 'email');
    expectError(await t.call('POST', '/api/v1/contacts', agent, { email: 'z@z.example', name: 'Z', organization_id: '00000000-0000-4000-8000-000000000000' }), 400, 'invalid_input', 'organization_id');
    expectError(await t.call('POST', '/api/v1/contacts', agent, { email: 'z@z.example', name: 'Z', time_zone: 'Atlantis' }), 400, 'invalid_input', 'time_zone');
    const list = await t.call('GET', '/api/v1/contacts?q=carla', agent);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    const byOrg = await t.call('GET', `/api/v1/contacts?organization_id=${t.fixtures.orgs.acme}`, agent);
    expect(byOrg.body.data.every((c: { organization_id: string }) => c.organization_id === t.fixtures.orgs.acme)).toBe(true);
  });

  it('a partial change touches only the fields sent', async () => {
    // Anna is Acme's organization manager.
    const renamed = await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent, { name: 'Anna Karenina' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Anna Karenina', organization_id: t.fixtures.orgs.acme, is_org_manager: true, language: 'en', time_zone: 'UTC' });
    const tz = await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent, { time_zone: 'Europe/Paris', language: 'ru' });
    expect(tz.body).toMatchObject({ name: 'Anna Karenina', time_zone: 'Europe/Paris', language: 'ru', organization_id: t.fixtures.orgs.acme, is_org_manager: true });
    await t.signIn('anna@acme.example', PASSWORD, true); // the password is untouched
    const detached = await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.oleg}`, agent, { organization_id: null });
    expect(detached.body.organization_id).toBeNull();
    expectError(await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.oleg}`, agent, { email: 'changed@acme.example' }), 400, 'invalid_input');
    expectError(await t.call('PATCH', '/api/v1/contacts/00000000-0000-4000-8000-000000000000', agent, { name: 'Ghost' }), 404, 'not_found');
  });

  it('agents keep details current but cannot grant access: passwords and the organization-manager right are for managers', async () => {
    const plain = await t.call('POST', '/api/v1/contacts', agent, { email: 'walkin@acme.example', name: 'Walk In', organization_id: t.fixtures.orgs.acme });
    expect(plain.status).toBe(201);
    expectError(await t.call('POST', '/api/v1/contacts', agent, { email: 'pw@acme.example', name: 'Pw', password: 'agent-chosen-pw' }), 403, 'forbidden', 'password');
    expectError(await t.call('POST', '/api/v1/contacts', agent, { email: 'boss@acme.example', name: 'Boss', organization_id: t.fixtures.orgs.acme, is_org_manager: true }), 403, 'forbidden', 'is_org_manager');
    expectError(await t.call('PATCH', `/api/v1/contacts/${plain.body.id}`, agent, { password: 'agent-chosen-pw' }), 403, 'forbidden', 'password');
    expectError(await t.call('PATCH', `/api/v1/contacts/${plain.body.id}`, agent, { is_org_manager: true }), 403, 'forbidden', 'is_org_manager');
    // Anna manages Acme: an agent may not carry that right to another organization's tickets.
    expectError(await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent, { organization_id: t.fixtures.orgs.globex }), 403, 'forbidden', 'organization_id');
    expectError(await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent, { is_org_manager: false }), 403, 'forbidden', 'is_org_manager');
    // Nothing was written by the refused requests.
    expect((await t.ctx.db.query("SELECT 1 FROM contacts WHERE email IN ('pw@acme.example', 'boss@acme.example')")).length).toBe(0);
    const anna = await t.call('GET', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent);
    expect(anna.body).toMatchObject({ organization_id: t.fixtures.orgs.acme, is_org_manager: true });
    // Re-sending the value a contact already has is not a change, so an agent's form round-trip works.
    expect((await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.anna}`, agent, { is_org_manager: true, organization_id: t.fixtures.orgs.acme, name: 'Anna' })).status).toBe(200);
    // A supervisor may do all of it.
    const granted = await t.call('PATCH', `/api/v1/contacts/${plain.body.id}`, sup, { is_org_manager: true, password: 'manager-set-pw' });
    expect(granted.body.is_org_manager).toBe(true);
    await t.signIn('walkin@acme.example', 'manager-set-pw', true);
  });
});

describe('lists', () => {
  it('GET /lists has the DESIGN defaults', async () => {
    const res = await t.call('GET', '/api/v1/lists', null);
    expect(res.status).toBe(200);
    const keys = (l: { key: string }[]) => l.map((e) => e.key);
    expect(keys(res.body.types)).toEqual(['technical_question', 'information_request', 'complaint', 'suggestion', 'quote', 'custom_work', 'urgent']);
    expect(keys(res.body.priorities)).toEqual(['low', 'normal', 'high', 'urgent']);
    expect(keys(res.body.tiers)).toEqual(['standard', 'priority', 'enterprise', 'vip']);
    expect(res.body.types[0]).toEqual({ key: 'technical_question', label: 'Technical question' });
    expect(res.body.statuses).toEqual(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
    expect(res.body.stages).toEqual(['received', 'triaged', 'assigned', 'diagnosis', 'resolution', 'quality_check', 'archived']);
    expect(res.body.channels).toEqual(['email', 'web_form', 'widget', 'api', 'portal', 'phone', 'telegram', 'messenger']);
  });

  it('an added type goes last and tickets can use it; an added tier serves organizations', async () => {
    expectError(await t.call('POST', '/api/v1/tickets', agent, { subject: 's', message: 'm', type: 'warranty_claim', requester: { email: 'w@example.org' } }), 400, 'invalid_input', 'type');
    const added = await t.call('POST', '/api/v1/lists/types', admin, { key: 'warranty_claim', label: 'Warranty claim' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ key: 'warranty_claim', label: 'Warranty claim' });
    expect((await t.call('GET', '/api/v1/lists', null)).body.types.at(-1)).toEqual({ key: 'warranty_claim', label: 'Warranty claim' });
    const tk = await t.call('POST', '/api/v1/tickets', agent, { subject: 's', message: 'm', type: 'warranty_claim', requester: { email: 'w@example.org' } });
    expect(tk.status).toBe(201);
    expect(tk.body.type).toBe('warranty_claim');
    expect((await t.call('GET', '/api/v1/tickets?type=warranty_claim', agent)).body.data.map((x: { id: string }) => x.id)).toEqual([tk.body.id]);

    expect((await t.call('POST', '/api/v1/lists/tiers', admin, { key: 'gold', label: 'Gold' })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/organizations', sup, { name: 'Gold Inc', tier: 'gold' })).status).toBe(201);
  });

  it('rejects duplicates, bad keys, unknown lists and non-managers', async () => {
    expectError(await t.call('POST', '/api/v1/lists/priorities', admin, { key: 'urgent', label: 'Again' }), 409, 'conflict', 'key');
    expectError(await t.call('POST', '/api/v1/lists/priorities', admin, { key: 'Not Snake', label: 'x' }), 400, 'invalid_input', 'key');
    expectError(await t.call('POST', '/api/v1/lists/priorities', admin, { key: 'fine' }), 400, 'invalid_input', 'label');
    expectError(await t.call('POST', '/api/v1/lists/colours', admin, { key: 'red', label: 'Red' }), 400, 'invalid_input', 'list');
    expectError(await t.call('POST', '/api/v1/lists/types', agent, { key: 'sneaky', label: 'Sneaky' }), 403, 'forbidden');
    expect((await t.call('GET', '/api/v1/lists', null)).body.priorities.map((p: { key: string }) => p.key)).toEqual(['low', 'normal', 'high', 'urgent']);
  });
});
