import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Who may do what with one ticket (DESIGN §8, docs/api.md): a ticket out of reach is a 404, never a 403;
// customers never change ticket fields (403) and have no audit log (403).

let t: TestApp;
const tokens: Record<string, string> = {};
let ticket: { id: string; number: number };

type Principal = 'requester' | 'sameOrgCustomer' | 'orgManager' | 'otherOrgCustomer' | 'agentInGroup' | 'agentOtherGroup' | 'agentAssignedOutsideGroup' | 'supervisor' | 'admin';
type Op = 'get' | 'list' | 'messages' | 'timeline' | 'events' | 'patch' | 'reply';
type Expect = Record<Op, number | boolean>;

const Y = true;
const N = false;
// get, list (contains it), messages, timeline, events, patch, reply
const row = (get: number, list: boolean, messages: number, timeline: number, events: number, patch: number, reply: number): Expect => ({ get, list, messages, timeline, events, patch, reply });
const MATRIX: Record<Principal, Expect> = {
  requester: row(200, Y, 200, 200, 403, 403, 201),
  sameOrgCustomer: row(404, N, 404, 404, 403, 403, 404),
  orgManager: row(200, Y, 200, 200, 403, 403, 201),
  otherOrgCustomer: row(404, N, 404, 404, 403, 403, 404),
  agentInGroup: row(200, Y, 200, 200, 200, 200, 201),
  agentOtherGroup: row(404, N, 404, 404, 404, 404, 404),
  agentAssignedOutsideGroup: row(200, Y, 200, 200, 200, 200, 201),
  supervisor: row(200, Y, 200, 200, 200, 200, 201),
  admin: row(200, Y, 200, 200, 200, 200, 201),
};

beforeAll(async () => {
  t = await startTestApp();
  const sup = await t.signIn('super@test.dev');
  // A second, non-manager customer of Acme, and an agent who is in no group.
  const olga = await t.call('POST', '/api/v1/contacts', sup, { email: 'olga@acme.example', name: 'Olga', organization_id: t.fixtures.orgs.acme, password: PASSWORD });
  expect(olga.status).toBe(201);
  const cara = await t.call('POST', '/api/v1/users', sup, { email: 'cara@test.dev', name: 'Cara', role: 'agent', password: PASSWORD });
  expect(cara.status).toBe(201);
  // oleg@acme.example (Acme, not a manager) asks; the ticket is in Support and assigned to Cara.
  const created = await t.call('POST', '/api/v1/tickets', sup, { subject: 'Matrix', message: 'Who can see me?', requester_id: t.fixtures.contacts.oleg, assignee_id: cara.body.id });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ group: { id: t.fixtures.groups.support }, organization: { id: t.fixtures.orgs.acme } });
  ticket = created.body;
  const portal = (email: string) => t.signIn(email, PASSWORD, true);
  Object.assign(tokens, {
    requester: await portal('oleg@acme.example'),
    sameOrgCustomer: await portal('olga@acme.example'),
    orgManager: await portal('anna@acme.example'),
    otherOrgCustomer: await portal('ben@globex.example'),
    agentInGroup: await t.signIn('alex@test.dev'),
    agentOtherGroup: await t.signIn('bea@test.dev'),
    agentAssignedOutsideGroup: await t.signIn('cara@test.dev'),
    supervisor: sup,
    admin: await t.signIn('admin@test.dev'),
  });
});
afterAll(() => t.close());

async function attempt(who: Principal, op: Op): Promise<number | boolean> {
  const token = tokens[who];
  const base = `/api/v1/tickets/${ticket.number}`;
  switch (op) {
    case 'get': {
      const res = await t.call('GET', base, token);
      if (res.status === 200) expect(res.body.id).toBe(ticket.id);
      return res.status;
    }
    case 'list': {
      const res = await t.call('GET', '/api/v1/tickets?limit=200', token);
      expect(res.status).toBe(200);
      return res.body.data.some((x: { id: string }) => x.id === ticket.id);
    }
    case 'messages':
    case 'timeline':
    case 'events': {
      const res = await t.call('GET', `${base}/${op}`, token);
      if (res.status === 200) expect(res.body.data.length).toBeGreaterThan(0);
      return res.status;
    }
    case 'patch': {
      const res = await t.call('PATCH', base, token, { tags: [`touched-by-${who}`] });
      if (res.status === 200) expect(res.body.tags).toEqual([`touched-by-${who}`]);
      return res.status;
    }
    case 'reply': {
      const res = await t.call('POST', `${base}/messages`, token, { body: `hello from ${who}` });
      if (res.status === 201) expect(res.body.body_text).toBe(`hello from ${who}`);
      return res.status;
    }
  }
}

describe('authorization matrix for one ticket', () => {
  it('every principal × operation gives the documented answer', async () => {
    const failures: string[] = [];
    for (const [who, expected] of Object.entries(MATRIX) as [Principal, Expect][]) {
      for (const op of Object.keys(expected) as Op[]) {
        const got = await attempt(who, op);
        if (got !== expected[op]) failures.push(`${who} ${op}: expected ${String(expected[op])}, got ${String(got)}`);
      }
    }
    expect(failures).toEqual([]);
    // Refused attempts wrote nothing: the only tags and replies are those of the principals allowed to write.
    const final = await t.call('GET', `/api/v1/tickets/${ticket.number}`, tokens.admin);
    expect(final.body.tags).toEqual(['touched-by-admin']);
    const msgs = await t.call('GET', `/api/v1/tickets/${ticket.number}/messages`, tokens.admin);
    const writers = (Object.keys(MATRIX) as Principal[]).filter((p) => MATRIX[p].reply === 201);
    expect(msgs.body.data.slice(1).map((m: { body_text: string }) => m.body_text)).toEqual(writers.map((w) => `hello from ${w}`));
    const tagEvents = (await t.call('GET', `/api/v1/tickets/${ticket.number}/events`, tokens.admin)).body.data.filter((e: { kind: string }) => e.kind === 'tags_changed');
    expect(tagEvents).toHaveLength((Object.keys(MATRIX) as Principal[]).filter((p) => MATRIX[p].patch === 200).length);
  });

  it('refusals use the error shape: 404 not_found for out of reach, 403 forbidden for customers changing fields', async () => {
    const hidden = await t.call('GET', `/api/v1/tickets/${ticket.id}`, tokens.agentOtherGroup);
    expect(hidden).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    // The same answer as for a ticket that does not exist, so existence does not leak.
    const missing = await t.call('GET', '/api/v1/tickets/999999', tokens.agentOtherGroup);
    expect(missing.body.error.message).toBe(hidden.body.error.message);
    const customerPatch = await t.call('PATCH', `/api/v1/tickets/${ticket.number}`, tokens.requester, { subject: 'mine now' });
    expect(customerPatch).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await t.call('GET', `/api/v1/tickets/${ticket.number}`, tokens.admin)).body.subject).toBe('Matrix');
    expect((await t.call('GET', `/api/v1/tickets/${ticket.number}`, null)).status).toBe(401);
    expect((await t.call('GET', `/api/v1/tickets/${ticket.number}`, 'rbs_not-a-real-token')).status).toBe(401);
  });

  it("customers' lists hold only their own tickets (managers: their organization's)", async () => {
    const all = (await t.call('GET', '/api/v1/tickets?limit=200', tokens.admin)).body.data as { id: string; requester: { id: string }; organization: { id: string } | null }[];
    const listOf = async (who: Principal) => ((await t.call('GET', '/api/v1/tickets?limit=200', tokens[who])).body.data as { id: string }[]).map((x) => x.id).sort();
    expect(await listOf('requester')).toEqual(all.filter((x) => x.requester.id === t.fixtures.contacts.oleg).map((x) => x.id).sort());
    expect(await listOf('orgManager')).toEqual(all.filter((x) => x.organization?.id === t.fixtures.orgs.acme || x.requester.id === t.fixtures.contacts.anna).map((x) => x.id).sort());
    expect(await listOf('otherOrgCustomer')).toEqual([]);
  });
});

describe('API token scopes narrow the matrix, never widen it', () => {
  type Scoped = { owner: Principal; scopes: string[]; get: number; patch: number; reply: number; adminRead: number; adminWrite: number; code?: string };
  // adminRead: GET /api/v1/webhooks; adminWrite: POST /api/v1/groups. 403s from a missing scope say insufficient_scope.
  const CASES: Scoped[] = [
    { owner: 'agentInGroup', scopes: ['read'], get: 200, patch: 403, reply: 403, adminRead: 403, adminWrite: 403 },
    { owner: 'agentInGroup', scopes: ['tickets'], get: 200, patch: 200, reply: 201, adminRead: 403, adminWrite: 403 },
    { owner: 'agentInGroup', scopes: ['admin'], get: 200, patch: 200, reply: 201, adminRead: 403, adminWrite: 403 },
    { owner: 'agentOtherGroup', scopes: ['admin'], get: 404, patch: 404, reply: 404, adminRead: 403, adminWrite: 403 },
    { owner: 'admin', scopes: ['read'], get: 200, patch: 403, reply: 403, adminRead: 200, adminWrite: 403 },
    { owner: 'admin', scopes: ['tickets'], get: 200, patch: 200, reply: 201, adminRead: 200, adminWrite: 403 },
    { owner: 'admin', scopes: ['admin'], get: 200, patch: 200, reply: 201, adminRead: 200, adminWrite: 201 },
  ];
  // Which refusals are the scope's (the rest are the role's: forbidden, or not_found out of reach).
  const scopeRefuses = (c: Scoped, op: 'patch' | 'reply' | 'adminRead' | 'adminWrite'): boolean =>
    !c.scopes.includes('admin') && (op === 'adminWrite' || (c.scopes[0] === 'read' && (op === 'patch' || op === 'reply')));

  it('each scope × owner × operation gives the documented answer', async () => {
    const failures: string[] = [];
    let n = 0;
    for (const c of CASES) {
      const made = await t.call('POST', '/api/v1/api-tokens', tokens[c.owner], { name: `matrix ${n++}`, scopes: c.scopes });
      expect(made.status).toBe(201);
      const token: string = made.body.token;
      const base = `/api/v1/tickets/${ticket.number}`;
      const got = {
        get: await t.call('GET', base, token),
        patch: await t.call('PATCH', base, token, { priority: n % 2 ? 'high' : 'low' }),
        reply: await t.call('POST', `${base}/messages`, token, { body: `scoped reply ${n}`, kind: 'internal' }),
        adminRead: await t.call('GET', '/api/v1/webhooks', token),
        adminWrite: await t.call('POST', '/api/v1/groups', token, { name: `Scoped ${n}` }),
      };
      for (const op of ['get', 'patch', 'reply', 'adminRead', 'adminWrite'] as const) {
        const res = got[op];
        if (res.status !== c[op]) failures.push(`${c.owner} [${c.scopes.join(',')}] ${op}: expected ${c[op]}, got ${res.status}`);
        if (op !== 'get' && res.status === 403) {
          const want = scopeRefuses(c, op) ? 'insufficient_scope' : 'forbidden';
          if (res.body.error.code !== want) failures.push(`${c.owner} [${c.scopes.join(',')}] ${op}: expected ${want}, got ${res.body.error.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('work queue', () => {
  it("an agent's queue holds their groups' unsolved tickets; a supervisor's holds every unsolved ticket", async () => {
    const sup = tokens.supervisor!;
    const mk = async (subject: string, group: string, status?: string) => {
      const res = await t.call('POST', '/api/v1/tickets', sup, { subject, message: 'x', requester: { email: 'queue@example.org' }, group_id: group });
      expect(res.status).toBe(201);
      if (status) expect((await t.call('PATCH', `/api/v1/tickets/${res.body.number}`, sup, { status })).status).toBe(200);
      return res.body.id as string;
    };
    const { support, billing } = t.fixtures.groups;
    const supportOpen = await mk('support open', support, 'open');
    const supportPending = await mk('support pending', support, 'pending');
    const supportHold = await mk('support on hold', support, 'on_hold');
    const supportSolved = await mk('support solved', support, 'solved');
    const supportClosed = await mk('support closed', support, 'closed');
    const billingNew = await mk('billing new', billing);
    const billingSolved = await mk('billing solved', billing, 'solved');

    const queue = async (who: Principal) => {
      const res = await t.call('GET', '/api/v1/queue', tokens[who]);
      expect(res.status).toBe(200);
      return res.body.data as { id: string; status: string; group: { id: string } | null }[];
    };
    const alex = await queue('agentInGroup');
    expect(alex.every((x) => x.group?.id === support && ['new', 'open', 'pending', 'on_hold'].includes(x.status))).toBe(true);
    expect(alex.map((x) => x.id)).toEqual(expect.arrayContaining([ticket.id, supportOpen, supportPending, supportHold]));
    for (const id of [supportSolved, supportClosed, billingNew, billingSolved]) expect(alex.map((x) => x.id)).not.toContain(id);

    const bea = (await queue('agentOtherGroup')).map((x) => x.id);
    expect(bea).toEqual([billingNew]);

    const everything = (await t.call('GET', '/api/v1/tickets?limit=200&status=new,open,pending,on_hold', sup)).body.data.map((x: { id: string }) => x.id).sort();
    const supQueue = (await queue('supervisor')).map((x) => x.id);
    expect([...supQueue].sort()).toEqual(everything);
    expect(supQueue).toEqual(expect.arrayContaining([billingNew, supportOpen, ticket.id]));
    // Oldest first when no ticket has an SLA clock.
    const created = (await queue('supervisor')).map((x) => (x as unknown as { created_at: string }).created_at);
    expect([...created].sort()).toEqual(created);

    const customer = await t.call('GET', '/api/v1/queue', tokens.requester);
    expect(customer.status).toBe(403);
  });
});
