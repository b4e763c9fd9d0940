import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The API parts behind the new admin screens (review 2026-12-07 item 24): a template preview rendered by the
// server with the placeholder errors of every field, per-language knowledge-base category names the help
// centre reads in the reader's language, and a paged, filtered article list.

let t: TestApp;
let admin: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev')]);
});
afterAll(() => t.close());

describe('mail template preview', () => {
  it('renders the edited text for an example request in the template language, without saving it', async () => {
    const res = await t.call('POST', '/api/v1/email/templates/acknowledgement/bg/preview', admin, {
      subject: '[{{ticket.ref}}] {{ticket.subject}}', body: 'Здравейте, {{requester.name}}! Ще отговорим до {{promise.local}}.{{#kb.suggestions}}\n{{kb.suggestions}}{{/kb.suggestions}}',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.subject).toBe('[#1042] Фактурите не се експортират');
    expect(res.body.body).toContain('Здравейте, Анна Пример!');
    expect(res.body.body).not.toMatch(/\{\{/);
    // Nothing was saved: the template in force is still the default.
    expect((await t.call('GET', '/api/v1/email/templates/acknowledgement/bg', admin)).body.customized).toBe(false);
  });

  it('names the unknown placeholders of every field at once, as saving does', async () => {
    const bad = { subject: 'Re: {{ticket.colour}}', body: 'Hello {{agent.name}}' }; // agent.name belongs to other mails
    for (const [method, url] of [['POST', '/api/v1/email/templates/acknowledgement/en/preview'], ['PUT', '/api/v1/email/templates/acknowledgement/en']] as const) {
      const res = await t.call(method, url, admin, bad);
      expect(res.status, url).toBe(400);
      expect(res.body.error.errors).toEqual([
        { path: 'subject', message: 'unknown placeholder {{ticket.colour}}' },
        { path: 'body', message: 'unknown placeholder {{agent.name}}' },
      ]);
    }
    expect((await t.call('POST', '/api/v1/email/templates/nothing/en/preview', admin, { subject: 'x', body: 'y' })).body.error.path).toBe('key');
    expect((await t.call('POST', '/api/v1/email/templates/acknowledgement/en/preview', agent, { subject: 'x', body: 'y' })).status).toBe(403);
  });
});

describe('knowledge-base categories in the reader\'s language', () => {
  it('keeps a name per language and answers each reader in theirs, the default name otherwise', async () => {
    const created = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Billing', names: { bg: 'Фактуриране', ru: 'Оплата' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.names).toEqual({ bg: 'Фактуриране', ru: 'Оплата' });
    const shown = async (language?: string) => {
      const res = await t.call('GET', `/api/v1/kb/categories${language ? `?language=${language}` : ''}`, null);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.data as { id: string; display_name: string }[]).find((c) => c.id === created.body.id)?.display_name;
    };
    expect(await shown('bg')).toBe('Фактуриране');
    expect(await shown('zh')).toBe('Billing');
    expect(await shown()).toBe('Billing');
    // A PATCH of names replaces the set; an empty name removes that translation.
    const patched = await t.call('PATCH', `/api/v1/kb/categories/${created.body.id}`, admin, { names: { bg: '', zh: '账单' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Billing', names: { zh: '账单' } });
    expect(await shown('bg')).toBe('Billing');
    expect(await shown('zh')).toBe('账单');
    const bad = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'X', names: { de: 'Rechnungen' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toMatch(/^names/);
    expect((await t.call('GET', '/api/v1/kb/categories?language=xx', null)).body.error.path).toBe('language');
  });
});

describe('knowledge-base article list', () => {
  it('pages through articles filtered by category, language, status and archived', async () => {
    const cat = (await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Listing' })).body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await t.call('POST', '/api/v1/kb/articles', agent, {
        category_id: i < 5 ? cat : null, language: i % 2 ? 'ru' : 'en', status: i === 0 ? 'draft' : 'published', title: `List ${i}`, body: `Body ${i}`,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
      t.clock.advanceMinutes(1);
    }
    expect((await t.call('POST', `/api/v1/kb/articles/${ids[2]}/archive`, admin)).status).toBe(200);
    const list = async (query: string) => {
      const res = await t.call('GET', `/api/v1/kb/articles?${query}`, agent);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { data: { id: string; title: string }[]; total: number; page: number; per_page: number };
    };
    const inCat = await list(`category_id=${cat}`);
    expect(inCat.total).toBe(4); // 5 in the category, one archived
    expect(inCat.data.map((a) => a.title)).toEqual(['List 4', 'List 3', 'List 1', 'List 0']);
    const page2 = await list(`category_id=${cat}&per_page=3&page=2`);
    expect(page2).toMatchObject({ total: 4, page: 2, per_page: 3 });
    expect(page2.data.map((a) => a.title)).toEqual(['List 0']);
    expect((await list(`category_id=${cat}&language=ru`)).data.map((a) => a.title)).toEqual(['List 3', 'List 1']);
    expect((await list(`category_id=${cat}&status=draft`)).data.map((a) => a.title)).toEqual(['List 0']);
    expect((await list(`category_id=${cat}&archived=true`)).data.map((a) => a.title)).toEqual(['List 2']);
    expect((await list('category_id=none')).data.map((a) => a.title)).toEqual(['List 6', 'List 5']);
    const bad = await t.call('GET', '/api/v1/kb/articles?per_page=500', agent);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('per_page');
    expect((await t.call('GET', '/api/v1/kb/articles', null)).status).toBe(401);
  });
});
