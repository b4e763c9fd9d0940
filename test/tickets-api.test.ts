import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The tickets REST contract (docs/api.md) through the public HTTP surface, one server per file.

let t: TestApp;
let agent: string; // alex, member of Support (the default group)
let sup: string;
beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signIn('alex@test.dev');
  sup = await t.signIn('super@test.dev');
});
afterAll(() => t.close());

type Ticket = { id: string; number: number; status: string; stage: string; created_at: string; updated_at: string; sla: { next_due_at: string | null } | null } & Record<string, any>;
type ApiEvent = { id: string; kind: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; actor: { kind: string; id: string | null } };

let seq = 0;
async function newTicket(body: Record<string, unknown> = {}, token = agent): Promise<Ticket> {
  seq += 1;
  const res = await t.call('POST', '/api/v1/tickets', token, { subject: `Ticket ${seq}`, message: 'Please help', requester: { email: `someone${seq}@example.org` }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Ticket;
}
const events = async (ref: string | number, token = sup): Promise<ApiEvent[]> => {
  const res = await t.call('GET', `/api/v1/tickets/${ref}/events`, token);
  expect(res.status).toBe(200);
  return res.body.data;
};
const patch = async (ref: string | number, body: unknown, token = sup) => t.call('PATCH', `/api/v1/tickets/${ref}`, token, body);
const reply = async (ref: string | number, body: unknown, token = agent) => t.call('POST', `/api/v1/tickets/${ref}/messages`, token, body);
const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('creating tickets', () => {
  it('creates a ticket with its first message and events, and lists it', async () => {
    const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Printer on fire', message: 'Help', requester: { email: 'new.person@example.org', name: 'New Person' } });
    expect(created.status).toBe(201);
    expect(created.body.display_number).toBe(`#${created.body.number}`);
    expect(created.body.status).toBe('new');
    expect(created.body.group.name).toBe('Support');
    const evs = await t.call('GET', `/api/v1/tickets/${created.body.number}/events`, agent);
    expect(evs.body.data.map((e: { kind: string }) => e.kind)).toEqual(['created', 'message_added']);
    const list = await t.call('GET', '/api/v1/tickets?status=new', agent);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(created.body.id);
  });

  it('names the offending field in a 400', async () => {
    const res = await t.call('POST', '/api/v1/tickets', agent, { subject: '', message: 'x', requester: { email: 'a@b.example' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'subject' });
  });

  it('fills the documented defaults', async () => {
    const before = t.clock.now.toISOString();
    const tk = await newTicket({ subject: 'Defaults please', requester: { email: 'defaults@example.org', name: 'Dee Faults' } });
    expect(tk).toMatchObject({
      subject: 'Defaults please', type: 'technical_question', priority: 'normal', status: 'new', stage: 'received', channel: 'api', tags: [],
      group: { id: t.fixtures.groups.support, name: 'Support' }, assignee: null, organization: null,
      requester: { name: 'Dee Faults', email: 'defaults@example.org' },
      created_at: before, updated_at: before, first_responded_at: null, solved_at: null, closed_at: null,
    });
    expect(tk.id).toMatch(/^[0-9a-f-]{36}$/);
    const messages = await t.call('GET', `/api/v1/tickets/${tk.number}/messages`, agent);
    expect(messages.body.data).toHaveLength(1);
    expect(messages.body.data[0]).toMatchObject({ kind: 'public', body_text: 'Please help', author: { kind: 'contact', id: tk.requester.id, name: 'Dee Faults' } });
  });

  it('finds the requester by e-mail (any case) or creates one, and links the organization by e-mail domain', async () => {
    const existing = await newTicket({ requester: { email: 'ANNA@acme.example' } });
    expect(existing.requester).toEqual({ id: t.fixtures.contacts.anna, name: 'anna@acme.example', email: 'anna@acme.example' });
    expect(existing.organization).toEqual({ id: t.fixtures.orgs.acme, name: 'Acme', tier: 'enterprise' });

    const fresh = await newTicket({ requester: { email: 'newbie@globex.example', name: 'Newbie' } });
    expect(fresh.requester.id).not.toBe(t.fixtures.contacts.ben);
    expect(fresh.organization).toEqual({ id: t.fixtures.orgs.globex, name: 'Globex', tier: 'standard' });
    // The second request from the same new address lands on the same contact.
    const again = await newTicket({ requester: { email: 'newbie@globex.example' } });
    expect(again.requester.id).toBe(fresh.requester.id);
    const contact = await t.call('GET', `/api/v1/contacts/${fresh.requester.id}`, sup);
    expect(contact.body).toMatchObject({ email: 'newbie@globex.example', name: 'Newbie', organization_id: t.fixtures.orgs.globex });

    const byId = await newTicket({ requester: undefined, requester_id: t.fixtures.contacts.ben });
    expect(byId.requester.id).toBe(t.fixtures.contacts.ben);
    expect(byId.organization?.id).toBe(t.fixtures.orgs.globex);
    const noOrg = await newTicket({ requester: { email: 'solo@nowhere.example' } });
    expect(noOrg.organization).toBeNull();
  });

  it('rejects unknown list values and references with the field path, writing nothing', async () => {
    const count = async () => Number((await t.ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM tickets'))[0]?.n);
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'no_such_type' }, 'type'],
      [{ priority: 'whenever' }, 'priority'],
      [{ group_id: '00000000-0000-4000-8000-000000000000' }, 'group_id'],
      [{ group_id: 'not-a-uuid' }, 'group_id'],
      [{ assignee_id: '00000000-0000-4000-8000-000000000000' }, 'assignee_id'],
      [{ requester: undefined, requester_id: '00000000-0000-4000-8000-000000000000' }, 'requester_id'],
      [{ requester: undefined }, 'requester'],
      [{ requester: { email: 'not-an-email' } }, 'requester.email'],
      [{ channel: 'pigeon' }, 'channel'],
      [{ message: '   ' }, 'message'],
    ];
    for (const [body, path] of cases) {
      const res = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Bad', message: 'x', requester: { email: 'bad@example.org' }, ...body });
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', path });
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(await count()).toBe(before);
    const contacts = await t.ctx.db.query("SELECT 1 FROM contacts WHERE email = 'bad@example.org'");
    expect(contacts).toHaveLength(0);
  });

  it('lets a customer open a ticket for themselves only, through the portal channel', async () => {
    const ben = await t.signIn('ben@globex.example', undefined, true);
    const res = await t.call('POST', '/api/v1/tickets', ben, {
      subject: 'From the portal', message: 'Hi', requester: { email: 'someone.else@example.org' }, requester_id: t.fixtures.contacts.anna, channel: 'phone',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'portal', requester: { id: t.fixtures.contacts.ben }, organization: { id: t.fixtures.orgs.globex }, sla: null });
    expect(await t.ctx.db.query("SELECT 1 FROM contacts WHERE email = 'someone.else@example.org'")).toHaveLength(0);
  });

  it('does not let a customer route, assign or tag their own ticket', async () => {
    const ben = await t.signIn('ben@globex.example', undefined, true);
    const res = await t.call('POST', '/api/v1/tickets', ben, {
      subject: 'Me first', message: 'Hi', group_id: t.fixtures.groups.billing, assignee_id: t.fixtures.users.agentBilling, tags: ['vip'], priority: 'urgent',
    });
    expect(res.status).toBe(201);
    const staffView = await t.call('GET', `/api/v1/tickets/${res.body.number}`, sup);
    expect(staffView.body).toMatchObject({ group: { id: t.fixtures.groups.support }, assignee: null, tags: [], priority: 'normal', stage: 'received' });
  });

  it('answers an agent who files a ticket into a group they are not in with the created ticket', async () => {
    const res = await t.call('POST', '/api/v1/tickets', agent, { subject: 'For billing', message: 'x', requester: { email: 'payer@example.org' }, group_id: t.fixtures.groups.billing });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ subject: 'For billing', group: { id: t.fixtures.groups.billing } });
    // ...and from then on it is out of the agent's reach.
    expect((await t.call('GET', `/api/v1/tickets/${res.body.number}`, agent)).status).toBe(404);
  });
});

describe('getting a ticket', () => {
  it('by number, by #number and by UUID; unknown → 404, malformed → 400', async () => {
    const tk = await newTicket();
    for (const ref of [String(tk.number), encodeURIComponent(`#${tk.number}`), tk.id, tk.id.toUpperCase()]) {
      const res = await t.call('GET', `/api/v1/tickets/${ref}`, agent);
      expect(res.status, ref).toBe(200);
      expect(res.body.id).toBe(tk.id);
      expect(res.body.number).toBe(tk.number);
    }
    expect((await t.call('GET', '/api/v1/tickets/999999', agent)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000', agent)).body.error.code).toBe('not_found');
    const bad = await t.call('GET', '/api/v1/tickets/abc', agent);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', path: 'ref' });
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, null)).status).toBe(401);
  });
});

describe('listing tickets', () => {
  let hi: Ticket; // billing, high, complaint, assigned to bea, globex requester, status open
  let lo: Ticket; // support, low, suggestion, unassigned, status pending
  let plain: Ticket; // support, normal, technical_question, status new
  beforeAll(async () => {
    hi = await newTicket({ subject: 'Invoice is wrong', priority: 'high', type: 'complaint', group_id: t.fixtures.groups.billing, assignee_id: t.fixtures.users.agentBilling, requester: { email: 'payer@globex.example' } }, sup);
    lo = await newTicket({ subject: 'Make the logo 100% bigger', priority: 'low', type: 'suggestion' });
    plain = await newTicket({ subject: 'Cannot log in' });
    expect((await patch(hi.number, { status: 'open' })).status).toBe(200);
    expect((await patch(lo.number, { status: 'pending' })).status).toBe(200);
  });
  const list = async (query: string, token = sup): Promise<Ticket[]> => {
    const res = await t.call('GET', `/api/v1/tickets?limit=200&${query}`, token);
    expect(res.status, `${query} → ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.data;
  };

  it('filters by status (csv), priority, type, group, assignee, requester and organization', async () => {
    const cases: [string, (x: Ticket) => boolean, Ticket[], Ticket[]][] = [
      ['status=open,pending', (x) => x.status === 'open' || x.status === 'pending', [hi, lo], [plain]],
      ['status=new', (x) => x.status === 'new', [plain], [hi, lo]],
      ['priority=high', (x) => x.priority === 'high', [hi], [lo, plain]],
      ['priority=low,high', (x) => x.priority === 'low' || x.priority === 'high', [hi, lo], [plain]],
      ['type=suggestion', (x) => x.type === 'suggestion', [lo], [hi, plain]],
      [`group_id=${t.fixtures.groups.billing}`, (x) => x.group?.id === t.fixtures.groups.billing, [hi], [lo, plain]],
      [`assignee_id=${t.fixtures.users.agentBilling}`, (x) => x.assignee?.id === t.fixtures.users.agentBilling, [hi], [lo, plain]],
      [`requester_id=${hi.requester.id}`, (x) => x.requester.id === hi.requester.id, [hi], [lo, plain]],
      [`organization_id=${t.fixtures.orgs.globex}`, (x) => x.organization?.id === t.fixtures.orgs.globex, [hi], [lo, plain]],
    ];
    for (const [query, holds, included, excluded] of cases) {
      const data = await list(query);
      expect(data.length, query).toBeGreaterThan(0);
      expect(data.every(holds), query).toBe(true);
      for (const x of included) expect(ids(data), `${query} includes #${x.number}`).toContain(x.id);
      for (const x of excluded) expect(ids(data), `${query} excludes #${x.number}`).not.toContain(x.id);
    }
  });

  it('searches the subject (case-insensitive, wildcards literal) and the number', async () => {
    expect(ids(await list('q=invoice IS'))).toEqual([hi.id]);
    expect(ids(await list(`q=${encodeURIComponent('100%')}`))).toEqual([lo.id]);
    expect(ids(await list(`q=${encodeURIComponent('100%25 bigger')}`))).toEqual([]);
    expect(ids(await list(`q=${plain.number}`))).toContain(plain.id);
    expect(ids(await list(`q=${encodeURIComponent(`#${plain.number}`)}`))).toEqual([plain.id]);
  });

  it('rejects bad filters with the field path', async () => {
    for (const [query, path] of [['status=open,nope', 'status[1]'], ['group_id=xyz', 'group_id'], ['limit=0', 'limit'], ['limit=201', 'limit'], ['sort=random', 'sort']]) {
      const res = await t.call('GET', `/api/v1/tickets?${query}`, sup);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', path });
    }
  });
});

describe('sorting and cursor pagination', () => {
  const requester = 'walker@walk.example';
  let all: Ticket[] = [];
  beforeAll(async () => {
    // Due times come from an SLA policy that applies only to tickets tagged "sla" (24/7, by priority).
    const policy = await t.call('POST', '/api/v1/sla/policies', sup, {
      name: 'Sort test', conditions: [{ field: 'tags', op: 'in', values: ['sla'] }],
      metrics: [{ name: 'first_response', targets_by_priority: { urgent: 30, high: 240 }, target_minutes: 600 }],
    });
    expect(policy.status).toBe(201);
    const priorities = ['normal', 'urgent', 'high', 'low'];
    for (let i = 0; i < 12; i += 1) {
      t.clock.advanceMinutes(i % 3 === 0 ? 7 : 1);
      const tags = i % 2 === 0 ? ['sla'] : [];
      all.push(await newTicket({ subject: `Walk ${i}`, priority: priorities[i % 4], tags, requester: { email: requester } }));
    }
    // updated_at in an order unlike creation: touch the tickets back to front, some twice.
    for (const i of [5, 0, 11, 3, 8, 1, 5, 10, 2, 9, 4, 7, 6]) {
      t.clock.advanceMinutes(2);
      expect((await patch(all[i]!.number, { subject: `Walk ${i} (touched at ${t.clock.now.toISOString()})` })).status).toBe(200);
    }
    const fresh = await t.call('GET', `/api/v1/tickets?limit=200&requester_id=${all[0]!.requester.id}&sort=number`, sup);
    all = fresh.body.data;
    expect(all).toHaveLength(12);
    expect(all.filter((x) => x.sla?.next_due_at)).toHaveLength(6);
  });

  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const byKeys = (...keys: ((x: Ticket) => string | number)[]) => (a: Ticket, b: Ticket) => {
    for (const k of keys) {
      const c = cmp(k(a), k(b));
      if (c !== 0) return c;
    }
    return 0;
  };
  const due = (x: Ticket) => x.sla?.next_due_at ?? '9999';
  const expected: Record<string, (a: Ticket, b: Ticket) => number> = {
    due: byKeys(due, (x) => x.created_at, (x) => x.id),
    created_at: byKeys((x) => x.created_at, (x) => x.id),
    '-created_at': (a, b) => -byKeys((x) => x.created_at, (x) => x.id)(a, b),
    updated_at: byKeys((x) => x.updated_at, (x) => x.id),
    '-updated_at': (a, b) => -byKeys((x) => x.updated_at, (x) => x.id)(a, b),
    number: byKeys((x) => x.number),
    '-number': (a, b) => -byKeys((x) => x.number)(a, b),
  };

  it('each sort orders as documented; due is the default (next due first, then oldest)', async () => {
    const q = `requester_id=${all[0]!.requester.id}&limit=200`;
    for (const [sort, order] of Object.entries(expected)) {
      const res = await t.call('GET', `/api/v1/tickets?${q}&sort=${sort}`, sup);
      expect(ids(res.body.data), sort).toEqual(ids([...all].sort(order)));
    }
    const dflt = await t.call('GET', `/api/v1/tickets?${q}`, sup);
    expect(ids(dflt.body.data)).toEqual(ids([...all].sort(expected.due)));
    // Sanity: the orders really differ, so the comparison above can fail.
    expect(ids([...all].sort(expected.due))).not.toEqual(ids([...all].sort(expected.created_at)));
    expect(ids([...all].sort(expected.updated_at))).not.toEqual(ids([...all].sort(expected.created_at)));
  });

  it('walks every ticket exactly once with limit 5, for every sort', async () => {
    for (const sort of Object.keys(expected)) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/v1/tickets?requester_id=${all[0]!.requester.id}&limit=5&sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await t.call('GET', url, sup);
        expect(res.status, sort).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(5);
        seen.push(...ids(res.body.data));
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages, sort).toBe(3);
      expect(seen, sort).toEqual(ids([...all].sort(expected[sort]!)));
      expect(new Set(seen).size).toBe(12);
    }
  });

  it('rejects a cursor it did not issue with 400 path cursor, never 500', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const numberCursor = (await t.call('GET', `/api/v1/tickets?requester_id=${all[0]!.requester.id}&limit=5&sort=number`, sup)).body.next_cursor as string;
    const cases: [string, string][] = [
      ['garbage!!', 'created_at'],
      [b64({ a: 1 }), 'created_at'],
      [numberCursor, 'created_at'], // another sort's cursor
      [b64(['yesterday', 'not-a-uuid']), 'created_at'],
      [b64(['2025-02-30T08:00:00.000Z', '00000000-0000-4000-8000-000000000000']), 'updated_at'],
      [b64(['2025-03-10T08:00:00.000Z', 'not-a-uuid']), '-updated_at'],
      [b64(['soon', '2025-03-10T08:00:00.000Z', '00000000-0000-4000-8000-000000000000']), 'due'],
      [b64(['12x']), 'number'],
      [b64([1e12]), 'number'],
      [b64([1.5]), '-number'],
    ];
    for (const [cursor, sort] of cases) {
      const res = await t.call('GET', `/api/v1/tickets?sort=${sort}&cursor=${encodeURIComponent(cursor)}`, sup);
      expect(res.status, `${sort} ${cursor} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'cursor' });
    }
  });
});

describe('changing tickets', () => {
  it('writes exactly one event per changed field, with before and after', async () => {
    const tk = await newTicket({ subject: 'Original' });
    const steps: [Record<string, unknown>, string, Record<string, unknown>, Record<string, unknown>][] = [
      [{ subject: 'Renamed' }, 'subject_changed', { subject: 'Original' }, { subject: 'Renamed' }],
      [{ priority: 'high' }, 'priority_changed', { priority: 'normal' }, { priority: 'high' }],
      [{ type: 'complaint' }, 'type_changed', { type: 'technical_question' }, { type: 'complaint' }],
      [{ stage: 'diagnosis' }, 'stage_changed', { stage: 'received' }, { stage: 'diagnosis' }],
      [{ tags: ['b', 'a', 'b'] }, 'tags_changed', { tags: [] }, { tags: ['b', 'a'] }],
      [{ status: 'open' }, 'status_changed', { status: 'new' }, { status: 'open' }],
      [{ group_id: t.fixtures.groups.billing }, 'group_changed', { group_id: t.fixtures.groups.support }, { group_id: t.fixtures.groups.billing }],
      [{ assignee_id: t.fixtures.users.agentBilling }, 'assignee_changed', { assignee_id: null }, { assignee_id: t.fixtures.users.agentBilling }],
      [{ assignee_id: null }, 'assignee_changed', { assignee_id: t.fixtures.users.agentBilling }, { assignee_id: null }],
      [{ group_id: null }, 'group_changed', { group_id: t.fixtures.groups.billing }, { group_id: null }],
    ];
    let known = (await events(tk.number)).length;
    for (const [body, kind, before, after] of steps) {
      t.clock.advanceMinutes(1);
      const res = await patch(tk.number, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.updated_at).toBe(t.clock.now.toISOString());
      const evs = await events(tk.number);
      const fresh = evs.slice(known);
      expect(fresh.map((e) => e.kind), kind).toEqual([kind]);
      expect(fresh[0]).toMatchObject({ before, after, actor: { kind: 'user', id: t.fixtures.users.supervisor } });
      known = evs.length;
    }
    const final = await t.call('GET', `/api/v1/tickets/${tk.number}`, sup);
    expect(final.body).toMatchObject({ subject: 'Renamed', priority: 'high', type: 'complaint', stage: 'diagnosis', tags: ['b', 'a'], status: 'open', group: null, assignee: null });
    // Sending the current values again changes nothing and writes nothing.
    const stamp = final.body.updated_at;
    t.clock.advanceMinutes(1);
    const same = await patch(tk.number, { subject: 'Renamed', priority: 'high', tags: ['b', 'a'], status: 'open' });
    expect(same.status).toBe(200);
    expect(same.body.updated_at).toBe(stamp);
    expect(await events(tk.number)).toHaveLength(known);
  });

  it('assigning a received ticket moves it to stage "assigned" (two events)', async () => {
    const tk = await newTicket();
    const res = await patch(tk.number, { assignee_id: t.fixtures.users.agentSupport });
    expect(res.body).toMatchObject({ assignee: { id: t.fixtures.users.agentSupport, name: 'alex@test.dev' }, stage: 'assigned' });
    const fresh = (await events(tk.number)).slice(2);
    expect(fresh.map((e) => e.kind).sort()).toEqual(['assignee_changed', 'stage_changed']);
    expect(fresh.find((e) => e.kind === 'stage_changed')).toMatchObject({ before: { stage: 'received' }, after: { stage: 'assigned' } });
    // An explicit stage in the same change wins.
    const other = await newTicket();
    const both = await patch(other.number, { assignee_id: t.fixtures.users.agentSupport, stage: 'diagnosis' });
    expect(both.body.stage).toBe('diagnosis');
  });

  it('follows the lifecycle: solved reopens, closed is final; solved_at and closed_at follow', async () => {
    const tk = await newTicket();
    t.clock.advanceMinutes(5);
    const solvedAt = t.clock.now.toISOString();
    const solved = await patch(tk.number, { status: 'solved' });
    expect(solved.body).toMatchObject({ status: 'solved', solved_at: solvedAt, closed_at: null });
    t.clock.advanceMinutes(5);
    const reopened = await patch(tk.number, { status: 'open' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', solved_at: null, closed_at: null });
    t.clock.advanceMinutes(5);
    const solvedAgain = t.clock.now.toISOString();
    await patch(tk.number, { status: 'solved' });
    t.clock.advanceMinutes(5);
    const closed = await patch(tk.number, { status: 'closed' });
    expect(closed.body).toMatchObject({ status: 'closed', solved_at: solvedAgain, closed_at: t.clock.now.toISOString() });
    for (const status of ['open', 'solved', 'new']) {
      const res = await patch(tk.number, { status });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'unprocessable', path: 'status' });
    }
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body.status).toBe('closed');
    // Nothing goes back to "new".
    const other = await newTicket();
    await patch(other.number, { status: 'open' });
    expect((await patch(other.number, { status: 'new' })).status).toBe(422);
    // Closing straight from new sets both stamps.
    const direct = await newTicket();
    const closedNow = await patch(direct.number, { status: 'closed' });
    expect(closedNow.body).toMatchObject({ solved_at: t.clock.now.toISOString(), closed_at: t.clock.now.toISOString() });
  });

  it('rejects bad changes with the field path and changes nothing', async () => {
    const tk = await newTicket();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ priority: 'asap' }, 400, 'priority'],
      [{ type: 'nope' }, 400, 'type'],
      [{ status: 'archived' }, 400, 'status'],
      [{ stage: 'done' }, 400, 'stage'],
      [{ group_id: '00000000-0000-4000-8000-000000000000' }, 400, 'group_id'],
      [{ assignee_id: '00000000-0000-4000-8000-000000000000' }, 400, 'assignee_id'],
      [{ subject: '' }, 400, 'subject'],
      [{ subject: 'Fine', priority: 'asap' }, 400, 'priority'],
    ];
    for (const [body, status, path] of cases) {
      const res = await patch(tk.number, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.path).toBe(path);
    }
    const unknownField = await patch(tk.number, { colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe('invalid_input');
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body).toMatchObject({ subject: tk.subject, priority: 'normal', type: 'technical_question' });
    expect(await events(tk.number)).toHaveLength(2);
  });

  it('answers an agent who transfers a ticket out of their groups with the changed ticket', async () => {
    const tk = await newTicket();
    const res = await patch(tk.number, { group_id: t.fixtures.groups.billing }, agent);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.group).toEqual({ id: t.fixtures.groups.billing, name: 'Billing' });
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).status).toBe(404);
  });
});

describe('messages', () => {
  it('an agent public reply sets first_responded_at once and opens a new ticket', async () => {
    const tk = await newTicket();
    t.clock.advanceMinutes(3);
    const firstAt = t.clock.now.toISOString();
    const res = await reply(tk.number, { body: 'On it' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'public', body_text: 'On it', body_html: '<p>On it</p>', author: { kind: 'user', id: t.fixtures.users.agentSupport, name: 'alex@test.dev' }, created_at: firstAt });
    const after = (await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body;
    expect(after).toMatchObject({ status: 'open', first_responded_at: firstAt, updated_at: firstAt });
    t.clock.advanceMinutes(3);
    await reply(tk.number, { body: 'Still on it' });
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body.first_responded_at).toBe(firstAt);
    const evs = await events(tk.number);
    // The first public reply also opens the diagnosis stage (core/triage/stage.ts).
    expect(evs.map((e) => e.kind)).toEqual(['created', 'message_added', 'message_added', 'status_changed', 'stage_changed', 'message_added']);
    expect(evs[3]).toMatchObject({ before: { status: 'new' }, after: { status: 'open' }, actor: { kind: 'user', id: t.fixtures.users.agentSupport } });
    expect(evs[4]).toMatchObject({ before: { stage: 'received' }, after: { stage: 'diagnosis' } });
  });

  it('a reply can set the status in the same change; an internal note is no response', async () => {
    const tk = await newTicket();
    const note = await reply(tk.number, { body: 'Looks like a duplicate', kind: 'internal' });
    expect(note.status).toBe(201);
    expect(note.body.kind).toBe('internal');
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body).toMatchObject({ status: 'new', first_responded_at: null });
    const res = await reply(tk.number, { body: 'Which version do you run?', status: 'pending' });
    expect(res.status).toBe(201);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}`, agent)).body).toMatchObject({ status: 'pending', first_responded_at: t.clock.now.toISOString() });
    const statusEvents = (await events(tk.number)).filter((e) => e.kind === 'status_changed');
    expect(statusEvents.map((e) => [e.before?.status, e.after?.status])).toEqual([['new', 'pending']]);
    const bad = await reply(tk.number, { body: 'x', status: 'later' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('status');
    const empty = await reply(tk.number, { body: '  ' });
    expect(empty.body.error).toMatchObject({ code: 'invalid_input', path: 'body' });
  });

  it('customers never see internal notes, in messages or in the timeline', async () => {
    const tk = await newTicket({ requester: { email: 'ben@globex.example' } });
    await reply(tk.number, { body: 'SECRET: customer is difficult', kind: 'internal' });
    await reply(tk.number, { body: 'Hello Ben' });
    const ben = await t.signIn('ben@globex.example', undefined, true);
    const msgs = await t.call('GET', `/api/v1/tickets/${tk.number}/messages`, ben);
    expect(msgs.status).toBe(200);
    expect(msgs.body.data.map((m: { body_text: string }) => m.body_text)).toEqual(['Please help', 'Hello Ben']);
    const timeline = await t.call('GET', `/api/v1/tickets/${tk.number}/timeline`, ben);
    expect(timeline.status).toBe(200);
    expect(timeline.body.data.every((e: { entry: string }) => e.entry === 'message')).toBe(true);
    expect(JSON.stringify(timeline.body)).not.toContain('SECRET');
    expect(JSON.stringify(msgs.body)).not.toContain('SECRET');
    // Staff see the note.
    const staff = await t.call('GET', `/api/v1/tickets/${tk.number}/messages`, agent);
    expect(staff.body.data.map((m: { kind: string }) => m.kind)).toEqual(['public', 'internal', 'public']);
    // And customers have no audit log.
    const evs = await t.call('GET', `/api/v1/tickets/${tk.number}/events`, ben);
    expect(evs.status).toBe(403);
    expect(evs.body.error.code).toBe('forbidden');
    // Customers cannot write internal notes or set the status.
    const sneaky = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, ben, { body: 'note?', kind: 'internal' });
    expect(sneaky.status).toBe(201);
    expect(sneaky.body.kind).toBe('public');
    const withStatus = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, ben, { body: 'solved!', status: 'solved' });
    expect(withStatus.status).toBe(403);
  });

  it("a customer's message reopens a pending or solved ticket, not others", async () => {
    const ben = await t.signIn('ben@globex.example', undefined, true);
    for (const [from, to] of [['pending', 'open'], ['solved', 'open'], ['on_hold', 'on_hold'], ['new', 'new'], ['open', 'open']] as const) {
      const tk = await newTicket({ requester: { email: 'ben@globex.example' } });
      if (from !== 'new') expect((await patch(tk.number, { status: from })).status).toBe(200);
      const res = await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, ben, { body: 'Any news?' });
      expect(res.status).toBe(201);
      expect(res.body.author).toMatchObject({ kind: 'contact', id: t.fixtures.contacts.ben });
      const now = (await t.call('GET', `/api/v1/tickets/${tk.number}`, sup)).body;
      expect(now.status, `${from} → ${to}`).toBe(to);
      if (from === 'solved') expect(now.solved_at).toBeNull();
      expect(now.first_responded_at).toBeNull();
    }
  });

  it('a closed ticket takes no more messages (422), from staff or customers', async () => {
    const tk = await newTicket({ requester: { email: 'ben@globex.example' } });
    await patch(tk.number, { status: 'closed' });
    const staff = await reply(tk.number, { body: 'One more thing' });
    expect(staff.status).toBe(422);
    expect(staff.body.error.code).toBe('unprocessable');
    const ben = await t.signIn('ben@globex.example', undefined, true);
    expect((await t.call('POST', `/api/v1/tickets/${tk.number}/messages`, ben, { body: 'Hello?' })).status).toBe(422);
    expect((await t.call('GET', `/api/v1/tickets/${tk.number}/messages`, sup)).body.data).toHaveLength(1);
  });
});

describe('timeline and the event log', () => {
  it('merges messages and events oldest first, in the order things happened', async () => {
    const tk = await newTicket();
    t.clock.advanceMinutes(1);
    await reply(tk.number, { body: 'Reply one', status: 'pending' });
    t.clock.advanceMinutes(1);
    await patch(tk.number, { priority: 'high' });
    t.clock.advanceMinutes(1);
    await reply(tk.number, { body: 'A note', kind: 'internal' });
    const res = await t.call('GET', `/api/v1/tickets/${tk.number}/timeline`, agent);
    expect(res.status).toBe(200);
    const label = (e: { entry: string; kind: string; body_text?: string }) => (e.entry === 'message' ? `message:${e.body_text}` : `event:${e.kind}`);
    expect(res.body.data.map(label)).toEqual([
      'event:created', 'message:Please help', 'message:Reply one', 'event:status_changed', 'event:stage_changed', 'event:priority_changed', 'message:A note',
    ]);
    const stamps = res.body.data.map((e: { created_at: string }) => e.created_at);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('ticket_events is append-only, even for direct SQL', async () => {
    const tk = await newTicket();
    await expect(t.ctx.db.query("UPDATE ticket_events SET kind = 'tampered' WHERE ticket_id = $1", [tk.id])).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.query('DELETE FROM ticket_events WHERE ticket_id = $1', [tk.id])).rejects.toThrow(/append-only/);
    expect((await events(tk.number)).map((e) => e.kind)).toEqual(['created', 'message_added']);
  });
});
