import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

// Macros and the knowledge base (multilingual search, help centre, suggestions) through the HTTP API.

let t: TestApp;
let admin: string;
let agent: string;
let other: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, other] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev'), t.signIn('bea@test.dev')]);
});
afterAll(() => t.close());

const ticket = async (subject: string, message: string) => {
  const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message, requester_id: t.fixtures.contacts.anna });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as number;
};

describe('macros', () => {
  it('personal and shared macros: who sees and edits which', async () => {
    const shared = await t.call('POST', '/api/v1/macros', agent, { title: 'Greeting', language: 'en', body: 'Hello', shared: true });
    expect(shared.status).toBe(403);
    const mine = await t.call('POST', '/api/v1/macros', agent, { title: 'My sign-off', language: 'en', body: 'Cheers, {{agent.name}}' });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ shared: false, owner_id: t.fixtures.users.agentSupport });
    const team = await t.call('POST', '/api/v1/macros', admin, { title: 'Спасибо', language: 'ru', body: 'Здравствуйте, {{requester.name}}!', shared: true });
    expect(team.status).toBe(201);
    const seenByOther = (await t.call('GET', '/api/v1/macros', other)).body.data.map((m: { title: string }) => m.title);
    expect(seenByOther).toContain('Спасибо');
    expect(seenByOther).not.toContain('My sign-off');
    expect((await t.call('PATCH', `/api/v1/macros/${mine.body.id}`, other, { title: 'stolen' })).status).toBe(404);
    expect((await t.call('PATCH', `/api/v1/macros/${team.body.id}`, agent, { title: 'changed' })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/macros?q=sign', agent)).body.data.map((m: { title: string }) => m.title)).toEqual(['My sign-off']);
    expect((await t.call('GET', '/api/v1/macros?language=ru', agent)).body.data.map((m: { title: string }) => m.title)).toEqual(['Спасибо']);
    expect((await t.call('GET', '/api/v1/macros?q=100%25', agent)).body.data).toEqual([]);
    expect((await t.call('POST', '/api/v1/macros', agent, { title: 'x', language: 'en', body: 'x', actions: { status: 'bogus' } })).body.error.path).toBe('actions.status');
    expect((await t.call('DELETE', `/api/v1/macros/${mine.body.id}`, agent)).status).toBe(204);
  });

  it('applying a macro renders placeholders and sets its fields, each change an event by the agent', async () => {
    const number = await ticket('Printer on fire', 'It is on fire.');
    const macro = await t.call('POST', '/api/v1/macros', admin, {
      title: 'Waiting for details', language: 'en', shared: true,
      body: 'Hi {{requester.name}}, about {{ticket.number}}: please send details. {{agent.name}} {{ticket.unknown}}',
      actions: { status: 'pending', tags: ['needs-info'], priority: 'high' },
    });
    const applied = await t.call('POST', `/api/v1/tickets/${number}/macros/${macro.body.id}/apply`, agent, {});
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.text).toBe(`Hi anna@acme.example, about #${number}: please send details. alex@test.dev {{ticket.unknown}}`);
    expect(applied.body.changed.sort()).toEqual(['priority', 'status', 'tags']);
    const after = (await t.call('GET', `/api/v1/tickets/${number}`, agent)).body;
    expect(after).toMatchObject({ status: 'pending', priority: 'high', tags: ['needs-info'] });
    const events = (await t.call('GET', `/api/v1/tickets/${number}/events`, admin)).body.data;
    expect(events.filter((e: { kind: string; actor: { id: string } }) => e.kind === 'status_changed' && e.actor.id === t.fixtures.users.agentSupport)).toHaveLength(1);
    expect((await t.call('POST', `/api/v1/tickets/${number}/macros/7c9e6679-7425-40de-944b-e07fc1f90ae7/apply`, agent, {})).status).toBe(404);
  });
});

describe('knowledge base', () => {
  const articles: Record<string, string> = {};
  it('staff write articles in categories and languages; translations link to the original', async () => {
    const cat = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Accounts' });
    expect(cat.status).toBe(201);
    expect((await t.call('POST', '/api/v1/kb/categories', agent, { name: 'Nope' })).status).toBe(403);
    const add = async (key: string, body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/v1/kb/articles', agent, { category_id: cat.body.id, status: 'published', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      articles[key] = res.body.id;
      return res.body;
    };
    await add('en', { language: 'en', title: 'Resetting your password', body: 'Open the settings and click the reset link we e-mail you.' });
    await add('ru', { language: 'ru', title: 'Как сбросить пароль', body: 'Откройте настройки и перейдите по ссылке для сброса паролей.', original_id: articles.en });
    await add('bg', { language: 'bg', title: 'Как да смените паролата', body: 'Отворете настройките на акаунта и натиснете връзката.', original_id: articles.en });
    await add('zh', { language: 'zh', title: '如何重置密码', body: '打开设置页面，点击我们发送给您的重置密码链接。', original_id: articles.en });
    await add('internal', { language: 'en', title: 'Password reset for SSO customers (internal)', body: 'SSO users reset in their identity provider.', status: 'internal' });
    await add('draft', { language: 'en', title: 'Password policy draft', body: 'Work in progress about passwords.', status: 'draft' });
    const dup = await t.call('POST', '/api/v1/kb/articles', agent, { language: 'ru', title: 'Дубль', body: 'x', original_id: articles.en });
    expect(dup.status).toBe(409);
    expect((await t.call('POST', '/api/v1/kb/articles', agent, { language: 'en', title: 'x', body: 'x', original_id: articles.en })).body.error.path).toBe('language');
    expect((await t.call('POST', '/api/v1/kb/articles', agent, { language: 'de', title: 'x', body: 'x', original_id: articles.ru })).body.error.path).toBe('original_id');
    const en = await t.call('GET', `/api/v1/kb/articles/${articles.en}`, agent);
    expect(en.body.translations.map((x: { language: string }) => x.language)).toEqual(['bg', 'ru', 'zh']);
    const ru = await t.call('GET', `/api/v1/help/articles/${articles.ru}`, null);
    expect(ru.body.translations.map((x: { language: string }) => x.language)).toEqual(['bg', 'en', 'zh']);
  });

  const search = async (q: string, language?: string) => {
    const res = await t.call('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}${language ? `&language=${language}` : ''}`, agent);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.map((h: { id: string }) => h.id) as string[];
  };

  it('Russian search stems: other forms of a word find the article', async () => {
    // "парол…" is also the Bulgarian stem, so the Bulgarian article matches too; the reader's language comes first.
    expect((await search('пароли', 'ru'))[0]).toBe(articles.ru);
    expect(await search('сбросом пароля')).toEqual([articles.ru]);
    expect(await search('настройкам')).toContain(articles.ru);
    expect(await search('настройкам')).not.toContain(articles.en);
  });

  it('Bulgarian search folds articles and plurals', async () => {
    expect((await search('паролите', 'bg'))[0]).toBe(articles.bg);
    expect(await search('паролите')).not.toContain(articles.en);
    expect(await search('акаунтът')).toEqual([articles.bg]);
    expect(await search('смените')).toEqual([articles.bg]);
    expect(await search('настройка')).toContain(articles.bg);
  });

  it('Chinese search matches words inside unsegmented text', async () => {
    expect(await search('重置密码')).toEqual([articles.zh]);
    expect(await search('密码')).toEqual([articles.zh]);
    expect(await search('链接')).toEqual([articles.zh]);
    expect(await search('银行')).toEqual([]);
  });

  it('English search stems and matches the word being typed as a prefix; staff see drafts and internal articles', async () => {
    const hits = await search('passwords');
    expect(hits).toEqual(expect.arrayContaining([articles.en, articles.internal, articles.draft]));
    expect(await search('reset passw')).toEqual(expect.arrayContaining([articles.en]));
    expect(await search('sso ident')).toEqual([articles.internal]);
    expect((await t.call('GET', '/api/v1/kb/search?q=', agent)).body.error.path).toBe('q');
    expect((await t.call('GET', '/api/v1/kb/search?q=x', null)).status).toBe(401);
    expect(await search('&|!:*()\'"')).toEqual([]);
  });

  it('the help centre lists and shows published articles only, and suggests up to three as the customer types', async () => {
    const list = await t.call('GET', '/api/v1/help/articles', null);
    const ids = list.body.data.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining([articles.en, articles.ru, articles.bg, articles.zh]));
    expect(ids).not.toContain(articles.internal);
    expect(ids).not.toContain(articles.draft);
    expect((await t.call('GET', `/api/v1/help/articles/${articles.internal}`, null)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/help/articles?language=bg', null)).body.data.map((a: { id: string }) => a.id)).toEqual([articles.bg]);
    const suggest = await t.call('GET', `/api/v1/help/suggest?q=${encodeURIComponent('I forgot my passw')}`, null);
    expect(suggest.status).toBe(200);
    expect(suggest.body.data.map((s: { id: string }) => s.id)).toEqual([articles.en]);
    expect(suggest.body.data[0].url).toBe(`http://replyby.test/help/articles/${articles.en}`);
    const ru = await t.call('GET', `/api/v1/help/suggest?q=${encodeURIComponent('забыл пароль')}&language=ru`, null);
    expect(ru.body.data.map((s: { id: string }) => s.id)).toEqual([articles.ru]);
    expect((await t.call('GET', '/api/v1/help/suggest?q=pa', null)).body.data).toEqual([]);
  });

  it('the reply box gets suggestions from the ticket; a reply becomes a draft article', async () => {
    const number = await ticket('Password reset link', 'The reset link for my password does not arrive.');
    const s = await t.call('GET', `/api/v1/tickets/${number}/kb-suggestions`, agent);
    expect(s.status).toBe(200);
    expect(s.body.data.length).toBeLessThanOrEqual(3);
    expect(s.body.data[0].id).toBe(articles.en);
    const reply = await t.call('POST', `/api/v1/tickets/${number}/messages`, agent, { body: 'Check the spam folder; the link comes from noreply@replyby.test.' });
    const article = await t.call('POST', `/api/v1/tickets/${number}/kb-articles`, agent, { message_id: reply.body.message_id ?? reply.body.id, title: 'Reset link does not arrive' });
    expect(article.status, JSON.stringify(article.body)).toBe(201);
    expect(article.body).toMatchObject({ status: 'draft', language: 'en', body: 'Check the spam folder; the link comes from noreply@replyby.test.', url: null });
    expect(await search('spam folder')).toEqual([article.body.id]);
    const published = await t.call('PATCH', `/api/v1/kb/articles/${article.body.id}`, agent, { status: 'published' });
    expect(published.body.url).toMatch(/\/help\/articles\//);
    expect((await t.call('POST', `/api/v1/tickets/${number}/kb-articles`, agent, { message_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', title: 'x' })).body.error.path).toBe('message_id');
    const customer = await t.signIn('anna@acme.example', PASSWORD, true);
    expect((await t.call('GET', `/api/v1/tickets/${number}/kb-suggestions`, customer)).status).toBe(403);
  });
});
