import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLifecycleSweep } from '../src/app/promise/lifecycle-sweep.ts';
import { splitLinks } from '../web/src/lib/linkify.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Review 2026-12-07 item 27, the portal: links in messages, a manager's long list, and archiving that
// must not make old requests "updated today". (The look of staff and customer messages, the links and the
// paging buttons in a browser: e2e/journeys-merge.ts.)

let t: TestApp;
let sup: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  agent = await t.signIn('alex@test.dev');
}, 120_000);
afterAll(() => t?.close());

describe('links in message text', () => {
  it('http(s) addresses become links; sentence punctuation and an unmatched bracket stay text; joined back it is the text', () => {
    const text = 'See https://status.example.com/incidents/42. Or (http://x.example/a_(b)) and https://x.example/q?a=1&b=2, thanks!';
    const pieces = splitLinks(text);
    expect(pieces.filter((p) => p.kind === 'link').map((p) => p.text)).toEqual([
      'https://status.example.com/incidents/42', 'http://x.example/a_(b)', 'https://x.example/q?a=1&b=2',
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('never makes a link of another scheme or of markup (no XSS through a message)', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '<a href="javascript:alert(1)">x</a>', 'vbscript:msgbox', 'ftp://files.example/x']) {
      expect(splitLinks(text).every((p) => p.kind === 'text'), text).toBe(true);
    }
    // A quote or angle bracket ends the address: the attribute cannot be broken out of.
    const [link] = splitLinks('https://ok.example/"onmouseover="alert(1)').filter((p) => p.kind === 'link');
    expect(link).toMatchObject({ href: 'https://ok.example/' });
    const [tagged] = splitLinks('https://ok.example/<script>').filter((p) => p.kind === 'link');
    expect(tagged?.kind === 'link' ? tagged.href : '').toBe('https://ok.example/');
  });
});

describe('the portal list of an organization manager with ~150 requests', () => {
  it('pages by cursor through every request, newest change first, none twice', async () => {
    const { anna, oleg, ben } = t.fixtures.contacts;
    const { acme, globex } = t.fixtures.orgs;
    // 150 of the organization's requests (Oleg's and Anna's) and some of another organization's.
    await t.ctx.db.query(
      `INSERT INTO tickets (subject, type, priority, status, stage, channel, tags, requester_id, organization_id, created_at, updated_at)
       SELECT 'Request ' || i, 'technical_question', 'normal', 'open', 'received', 'web', '{}', CASE WHEN i % 2 = 0 THEN $1::uuid ELSE $2::uuid END, $3,
              $4::timestamptz - i * interval '1 hour', $4::timestamptz - i * interval '1 hour' FROM generate_series(1, 150) AS i`,
      [anna, oleg, acme, t.clock.now]);
    await t.ctx.db.query(
      `INSERT INTO tickets (subject, type, priority, status, stage, channel, tags, requester_id, organization_id, created_at, updated_at)
       SELECT 'Other ' || i, 'technical_question', 'normal', 'open', 'received', 'web', '{}', $1, $2, $3, $3 FROM generate_series(1, 5) AS i`,
      [ben, globex, t.clock.now]);
    const manager = await t.signIn('anna@acme.example', undefined, true);
    const seen: { number: number; updated_at: string; organization: { id: string } | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await t.call('GET', `/api/v1/tickets?sort=-updated_at&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, manager);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(50);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(150);
    expect(new Set(seen.map((s) => s.number)).size).toBe(150);
    expect(seen.every((s) => s.organization?.id === acme)).toBe(true);
    const times = seen.map((s) => Date.parse(s.updated_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe('archiving', () => {
  it('does not change updated_at, so archived requests do not crowd ahead of live ones', async () => {
    const old = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Old printer question', message: 'printer', requester: { email: 'ben@globex.example' } });
    expect(old.status).toBe(201);
    t.clock.advanceMinutes(10);
    expect((await t.call('PATCH', `/api/v1/tickets/${old.body.number}`, agent, { status: 'closed' })).status).toBe(200);
    const closed = (await t.call('GET', `/api/v1/tickets/${old.body.number}`, sup)).body;
    t.clock.advanceMinutes(10);
    const live = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Live question', message: 'now', requester: { email: 'ben@globex.example' } });
    expect(live.status).toBe(201);
    // 31 days later the closed one is archived (the default is 30 days); the live one was untouched meanwhile.
    t.clock.advanceMinutes(31 * 24 * 60);
    expect((await runLifecycleSweep(t.ctx)).archived).toBeGreaterThanOrEqual(1);
    // A month outlives the sessions: sign in again.
    sup = await t.signIn('super@test.dev');
    const after = (await t.call('GET', `/api/v1/tickets/${old.body.number}`, sup)).body;
    expect(after.archived_at).toBe(t.clock.now.toISOString());
    expect(after.updated_at).toBe(closed.updated_at);
    const ben = await t.signIn('ben@globex.example', undefined, true);
    const list = (await t.call('GET', '/api/v1/tickets?sort=-updated_at&limit=50', ben)).body.data as { number: number }[];
    const numbers = list.map((x) => x.number);
    expect(numbers.indexOf(live.body.number)).toBeLessThan(numbers.indexOf(old.body.number));
  });
});
