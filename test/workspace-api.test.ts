import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_FOLD_AT } from '../src/app/tickets/count-views.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The agent workspace's API: views and their counts, search, bulk changes, saved views, follow-ups, own profile.

let t: TestApp;
let alex: string; // agent, Support
let bea: string; // agent, Billing
let sup: string;
let anna: string; // customer, Acme manager
const nums: Record<string, number> = {};

type T = { id: string; number: number; status: string; priority: string; tags: string[]; assignee: { id: string } | null };
const create = async (key: string, body: Record<string, unknown>) => {
  const res = await t.call('POST', '/api/v1/tickets', sup, { message: 'hello', requester: { email: 'x@example.org' }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  nums[key] = (res.body as T).number;
  return res.body as T;
};
const list = async (token: string, qs: string) => {
  const res = await t.call('GET', `/api/v1/tickets?${qs}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.data as T[]).map((x) => x.number);
};

beforeAll(async () => {
  t = await startTestApp();
  [alex, bea, sup, anna] = await Promise.all([t.signIn('alex@test.dev'), t.signIn('bea@test.dev'), t.signIn('super@test.dev'), t.signIn('anna@acme.example', undefined, true)]);
  const { support, billing } = t.fixtures.groups;
  await create('mine', { subject: 'Printer jams', group_id: support, assignee_id: t.fixtures.users.agentSupport });
  await create('unassigned', { subject: 'Router blinking', group_id: support, message: 'The firmware upgrade failed twice' });
  await create('billing', { subject: 'Invoice question', group_id: billing, requester: { email: 'zoe.quartz@example.org', name: 'Zoë Quartz' } });
  await create('solved', { subject: 'Password reset', group_id: support });
  expect((await t.call('PATCH', `/api/v1/tickets/${nums.solved}`, sup, { status: 'solved' })).status).toBe(200);
  await create('anna', { subject: 'Acme laptop', group_id: support, requester_id: t.fixtures.contacts.anna });
  expect((await t.call('POST', `/api/v1/tickets/${nums.anna}/messages`, sup, { body: 'secretword in a note', kind: 'internal' })).status).toBe(201);
});
afterAll(() => t.close());

describe('views', () => {
  it('lists each built-in view within what the caller may see, and counts them', async () => {
    expect(await list(alex, 'view=mine')).toEqual([nums.mine]);
    expect(await list(alex, 'view=unassigned')).toEqual(expect.arrayContaining([nums.unassigned, nums.anna]));
    expect(await list(alex, 'view=unassigned')).not.toContain(nums.billing);
    expect(await list(alex, 'view=all_open')).not.toContain(nums.solved);
    expect(await list(alex, 'view=solved')).toEqual([nums.solved]);
    expect(await list(bea, 'view=my_groups')).toEqual([nums.billing]);
    const counts = await t.call('GET', '/api/v1/views/counts', alex);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ mine: 1, solved: 1, all_open: 3, my_groups: 3, unassigned: 2 });
    expect((await t.call('GET', '/api/v1/tickets?view=bogus', alex)).status).toBe(400);
  });
});

describe('search', () => {
  it('finds by a word prefix in the subject, a message body or the requester, and by number', async () => {
    expect(await list(sup, 'q=print')).toEqual([nums.mine]);
    expect(await list(sup, 'q=firmw%20upgr&view=all')).toEqual([nums.unassigned]);
    expect(await list(sup, 'q=zo%C3%AB')).toEqual([nums.billing]);
    expect(await list(sup, 'q=zoe.quartz@example.org')).toEqual([nums.billing]);
    expect(await list(sup, `q=%23${nums.solved}&view=all`)).toEqual([nums.solved]);
    expect(await list(sup, 'q=nothing-like-this')).toEqual([]);
  });

  it('never lets a customer find a ticket by the words of an internal note', async () => {
    expect(await list(sup, 'q=secretword')).toEqual([nums.anna]);
    expect(await list(anna, 'q=secretword')).toEqual([]);
    expect(await list(anna, 'q=laptop')).toEqual([nums.anna]);
  });

  it('follows a ticket\'s words as they change: words from the subject and different messages, a new reply, a subject edit, a merge', async () => {
    const { support } = t.fixtures.groups;
    const from = await create('moved', { subject: 'Scanner offline', group_id: support, message: 'quokkaword in the first message', requester: { email: 'same@example.org' } });
    const into = await create('kept', { subject: 'Toner low', group_id: support, requester: { email: 'same@example.org' } });
    // A ticket is one document: the subject's word and a message's word together find it.
    expect(await list(sup, 'q=scanner%20quokkaw&view=all')).toEqual([from.number]);
    expect((await t.call('POST', `/api/v1/tickets/${into.number}/messages`, sup, { body: 'wombatword arrived later', kind: 'public' })).status).toBe(201);
    expect(await list(sup, 'q=toner%20wombatw&view=all')).toEqual([into.number]);
    expect((await t.call('PATCH', `/api/v1/tickets/${into.number}`, sup, { subject: 'Cartridge empty' })).status).toBe(200);
    expect(await list(sup, 'q=toner&view=all')).toEqual([]);
    expect(await list(sup, 'q=cartridge%20wombatw&view=all')).toEqual([into.number]);
    // A merge moves the messages, and their words, to the surviving ticket.
    expect((await t.call('POST', `/api/v1/tickets/${from.number}/merge`, sup, { into: into.number })).status).toBe(200);
    expect(await list(sup, 'q=quokkaword&view=all')).toEqual([into.number]);
    expect(await list(sup, 'q=scanner%20quokkaw&view=all')).toEqual([]);
  });

  it('merges tickets found by their words and by their requester into one order, one page after another', async () => {
    const { support } = t.fixtures.groups;
    const byWords = await create('byWords', { subject: 'Platypus sighting', group_id: support });
    const byRequester = await create('byRequester', { subject: 'Other thing', group_id: support, requester: { email: 'platypus.fan@example.org' } });
    const both = await create('both', { subject: 'Platypus again', group_id: support, requester: { email: 'platypus.fan@example.org' } });
    const ascending = [byWords.number, byRequester.number, both.number];
    expect(await list(sup, 'q=platypus&view=all&sort=number')).toEqual(ascending);
    expect(await list(sup, 'q=platypus&view=all&sort=-number')).toEqual([...ascending].reverse());
    const pages: number[] = [];
    let cursor = '';
    for (let i = 0; i < 5; i++) {
      const res = await t.call('GET', `/api/v1/tickets?q=platypus&view=all&sort=-number&limit=1${cursor ? `&cursor=${cursor}` : ''}`, sup);
      pages.push(...(res.body.data as T[]).map((x) => x.number));
      if (!res.body.next_cursor) break;
      cursor = encodeURIComponent(res.body.next_cursor as string);
    }
    expect(pages).toEqual([...ascending].reverse());
    // Both ways keep to what the caller may see: Support's agent finds them, Billing's does not, page by page too.
    expect(await list(alex, 'q=platypus&view=all&sort=number&limit=1')).toEqual([byWords.number]);
    expect(await list(bea, 'q=platypus&view=all&sort=number&limit=1')).toEqual([]);
    expect(await list(bea, 'q=platypus&view=all')).toEqual([]);
  });
});

describe('bulk changes', () => {
  it('changes many tickets in one go, tags added and removed', async () => {
    const res = await t.call('POST', '/api/v1/tickets/bulk', sup, { numbers: [nums.mine, nums.unassigned], priority: 'high', add_tags: ['vip', 'printer'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const n of [nums.mine, nums.unassigned]) {
      const one = (await t.call('GET', `/api/v1/tickets/${n}`, sup)).body as T;
      expect(one.priority).toBe('high');
      expect(one.tags).toEqual(expect.arrayContaining(['vip', 'printer']));
    }
    await t.call('POST', '/api/v1/tickets/bulk', sup, { numbers: [nums.mine], remove_tags: ['vip'] });
    expect(((await t.call('GET', `/api/v1/tickets/${nums.mine}`, sup)).body as T).tags).not.toContain('vip');
  });

  it('changes none of them when one cannot be changed, and names it', async () => {
    const res = await t.call('POST', '/api/v1/tickets/bulk', alex, { numbers: [nums.unassigned, nums.billing], priority: 'low' });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('numbers.1');
    expect(((await t.call('GET', `/api/v1/tickets/${nums.unassigned}`, sup)).body as T).priority).toBe('high');
  });
});

describe('saved views', () => {
  it('saves, lists and deletes a person’s own views', async () => {
    const res = await t.call('POST', '/api/v1/views/saved', alex, { name: 'Urgent printers', base: 'all_open', q: 'printer', sort: '-updated_at', columns: ['number', 'subject', 'sla'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await t.call('POST', '/api/v1/views/saved', alex, { name: 'Urgent printers', columns: ['number'] })).status).toBe(409);
    expect((await t.call('POST', '/api/v1/views/saved', alex, { name: 'Bad', columns: ['secret_column'] })).body.error.path).toContain('columns');
    const mine = await t.call('GET', '/api/v1/views/saved', alex);
    expect(mine.body.data).toEqual([expect.objectContaining({ name: 'Urgent printers', definition: expect.objectContaining({ q: 'printer', sort: '-updated_at' }) })]);
    expect((await t.call('GET', '/api/v1/views/saved', bea)).body.data).toEqual([]);
    expect((await t.call('DELETE', `/api/v1/views/saved/${res.body.id}`, bea)).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/views/saved/${res.body.id}`, alex)).status).toBe(204);
  });
});

describe('follow-up tickets', () => {
  it('opens a linked ticket for the same requester from a closed one, which stays closed', async () => {
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.solved}`, sup, { status: 'closed' })).status).toBe(200);
    const reply = await t.call('POST', `/api/v1/tickets/${nums.solved}/messages`, sup, { body: 'more' });
    expect(reply.status).toBe(422);
    expect(reply.body.error.path).toBe('ref');
    const res = await t.call('POST', `/api/v1/tickets/${nums.solved}/follow-up`, alex, { message: 'The reset link expired again' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.subject).toBe('Password reset');
    expect(res.body.tags).toContain('follow-up');
    const events = (await t.call('GET', `/api/v1/tickets/${nums.solved}/events`, sup)).body.data as { kind: string; after: unknown }[];
    expect(events.find((e) => e.kind === 'follow_up_created')?.after).toEqual({ follow_up_number: res.body.number });
    expect((await t.call('POST', `/api/v1/tickets/${nums.solved}/follow-up`, alex, {})).body.error.path).toBe('message');
  });
});

describe('own profile', () => {
  it('stores a person’s language and time zone and refuses unknown ones naming the field', async () => {
    const res = await t.call('PATCH', '/api/v1/auth/me', bea, { language: 'ru', time_zone: 'Europe/Moscow' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.principal).toMatchObject({ language: 'ru', time_zone: 'Europe/Moscow' });
    expect((await t.call('GET', '/api/v1/auth/me', bea)).body.principal).toMatchObject({ language: 'ru', time_zone: 'Europe/Moscow' });
    const bad = await t.call('PATCH', '/api/v1/auth/me', bea, { time_zone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('time_zone');
    expect((await t.call('PATCH', '/api/v1/auth/me', anna, { language: 'bg' })).body.principal.language).toBe('bg');
  });
});

describe('view counts', () => {
  const VIEWS = ['mine', 'my_groups', 'unassigned', 'due_soon', 'pending', 'on_hold', 'all_open', 'solved', 'all', 'snoozed'] as const;
  const counts = async (token: string) => {
    const res = await t.call('GET', '/api/v1/views/counts', token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Record<(typeof VIEWS)[number], number>;
  };
  /** What each view's own list holds for this caller: the oracle the counts must match. */
  const listed = async (token: string) => {
    const out: Record<string, number> = {};
    for (const v of VIEWS) out[v] = (await list(token, `view=${v}&limit=200`)).length;
    return out;
  };

  it('match every view’s list for an agent of each group and a supervisor, snoozed, pending, on-hold and due-soon tickets included', async () => {
    const { support, billing } = t.fixtures.groups;
    // Due within the hour from now on: a first-response target of 30 minutes for every new ticket.
    expect((await t.call('POST', '/api/v1/sla/policies', sup, { name: 'Fast', metrics: [{ name: 'first_response', target_minutes: 30 }] })).status).toBe(201);
    await create('due', { subject: 'Due soon', group_id: support });
    await create('held', { subject: 'On hold', group_id: billing, assignee_id: t.fixtures.users.agentBilling });
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.held}`, sup, { status: 'on_hold' })).status).toBe(200);
    await create('waiting', { subject: 'Waiting', group_id: support, assignee_id: t.fixtures.users.agentSupport });
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.waiting}`, sup, { status: 'pending' })).status).toBe(200);
    await create('sleepy', { subject: 'Snoozed', group_id: support, assignee_id: t.fixtures.users.agentSupport });
    expect((await t.call('POST', `/api/v1/tickets/${nums.sleepy}/snooze`, alex, { until: '2025-03-12T08:00:00Z' })).status).toBe(200);
    await create('nogroup', { subject: 'No group, assigned to Bea', assignee_id: t.fixtures.users.agentBilling });
    await create('done', { subject: 'Done', group_id: billing, assignee_id: t.fixtures.users.agentBilling });
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.done}`, sup, { status: 'solved' })).status).toBe(200);
    for (const who of [alex, bea, sup]) {
      const expected = await listed(who);
      await expect.poll(() => counts(who), { timeout: 2000 }).toEqual(expected);
    }
    // a few by hand, so the oracle itself is pinned down
    const a = await counts(alex);
    expect(a.snoozed).toBe(1);
    expect(a.due_soon).toBeGreaterThanOrEqual(1);
    const b = await counts(bea);
    expect(b.on_hold).toBe(1);
    expect(b.mine).toBe(2); // the on-hold ticket and the one without a group
    expect((await counts(sup)).all).toBeGreaterThan(a.all);
  });

  it('follow a change within a second (the live-change bus drops the cached rollup), and follow the clock', async () => {
    const before = await counts(alex);
    await create('fresh', { subject: 'Fresh one', group_id: t.fixtures.groups.support });
    await expect.poll(async () => (await counts(alex)).all_open, { timeout: 1000 }).toBe(before.all_open + 1);
    expect((await counts(bea)).all).toBe((await listed(bea)).all);
    // No change, only time: the snoozed ticket wakes up (two days later) and the counts notice within their max age.
    const snoozed = (await counts(alex)).snoozed;
    t.clock.advanceMinutes(3 * 24 * 60);
    const after = await counts(alex);
    expect(after.snoozed).toBe(snoozed - 1);
    expect(after).toEqual(await listed(alex));
  });

  it('follow tickets into, out of and within the solved and closed statuses (counted from a ledger), snoozed ones too', async () => {
    const { support, billing } = t.fixtures.groups;
    const settle = await create('settle', { subject: 'Settling', group_id: support, assignee_id: t.fixtures.users.agentSupport });
    const steps: Record<string, unknown>[] = [
      { status: 'solved' }, { group_id: billing }, { assignee_id: t.fixtures.users.agentBilling }, { status: 'closed' },
    ];
    for (const patch of steps) {
      expect((await t.call('PATCH', `/api/v1/tickets/${settle.number}`, sup, patch)).status).toBe(200);
      for (const who of [alex, bea, sup]) await expect.poll(() => counts(who), { timeout: 2000 }).toEqual(await listed(who));
    }
    // Snoozed, then solved (a solved ticket cannot be snoozed), then reopened: out of the ledger again.
    await create('reopen', { subject: 'Reopened', group_id: support });
    expect((await t.call('POST', `/api/v1/tickets/${nums.reopen}/snooze`, sup, { until: new Date(t.clock.now.getTime() + 86_400_000).toISOString() })).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.reopen}`, sup, { status: 'solved' })).status).toBe(200);
    expect(await list(sup, 'view=snoozed')).toContain(nums.reopen); // solved and snoozed: the ledger's sum less it
    for (const who of [alex, bea, sup]) await expect.poll(() => counts(who), { timeout: 2000 }).toEqual(await listed(who));
    expect((await t.call('PATCH', `/api/v1/tickets/${nums.reopen}`, sup, { status: 'open' })).status).toBe(200);
    for (const who of [alex, bea, sup]) await expect.poll(() => counts(who), { timeout: 2000 }).toEqual(await listed(who));
  });

  it('stay exact when the ledger is folded into one row per sum', async () => {
    const before = await counts(sup);
    const [{ id: group } = { id: '' }] = await t.ctx.db.query<{ id: string }>(`SELECT group_id AS id FROM tickets WHERE status = 'solved' AND group_id IS NOT NULL LIMIT 1`);
    // Churn as many changes leave it: +1/-1 pairs that cancel out.
    await t.ctx.db.query(`INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n)
      SELECT 'solved', $1::uuid, NULL, CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END FROM generate_series(1, $2::int) g`, [group, 2 * LEDGER_FOLD_AT + 200]);
    await create('fold', { subject: 'After churn', group_id: t.fixtures.groups.support });
    await expect.poll(async () => (await counts(sup)).all, { timeout: 2000 }).toBe(before.all + 1);
    expect(await counts(sup)).toEqual(await listed(sup));
    const [ledger] = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_settled_counts');
    expect(ledger?.n).toBeLessThan(LEDGER_FOLD_AT);
  });

  it('are for staff', async () => {
    expect((await t.call('GET', '/api/v1/views/counts', anna)).status).toBe(403);
  });
});
