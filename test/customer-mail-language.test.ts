import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderMail } from '../src/app/notifications/render-mail.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Every mail a customer gets speaks their language and can be edited by an admin: besides the acknowledgement
// and notices, the portal's sign-in link and the frame around an agent's reply (signature, where to follow).

let t: TestApp;
let admin: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('alex@test.dev')]);
  expect((await t.call('PATCH', `/api/v1/contacts/${t.fixtures.contacts.ben}`, admin, { language: 'ru' })).status).toBe(200);
});
afterAll(() => t.close());

const newest = async (kind: string) => {
  const [job] = await t.ctx.db.query<{ kind: string; payload: Record<string, unknown> }>('SELECT kind, payload FROM outbox WHERE kind = $1 ORDER BY id DESC LIMIT 1', [kind]);
  if (!job) throw new Error(`no ${kind} job`);
  const mail = await renderMail(t.ctx, job);
  if (!mail) throw new Error(`${kind} rendered nothing`);
  return mail;
};

it('the sign-in link mail is in the contact\'s language', async () => {
  expect((await t.call('POST', '/api/v1/portal/magic-link', null, { email: 'ben@globex.example' })).status).toBe(202);
  const mail = await newest('mail.magic_link');
  expect(mail.subject).toBe('Ваша ссылка для входа');
  expect(mail.text).toMatch(/^Здравствуйте, .+!\n\nВойдите, чтобы увидеть свои запросы: http:\/\/replyby\.test\/api\/v1\/portal\/magic\/rbm_[\w-]+\n/);
  expect(mail.headers?.['Content-Language']).toBe('ru');
});

it('an agent\'s reply is framed in the customer\'s language, and by the admin\'s template once edited', async () => {
  const created = await t.call('POST', '/api/v1/tickets', agent, { subject: 'Принтер', message: 'Не печатает', requester: { email: 'ben@globex.example' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const n = created.body.number as number;
  expect((await t.call('POST', `/api/v1/tickets/${n}/messages`, agent, { body: 'Попробуйте перезапустить.' })).status).toBe(201);
  const mail = await newest('mail.agent_reply');
  const me = (await t.call('GET', '/api/v1/auth/me', agent)).body.principal.name as string;
  expect(mail.subject).toBe(`Re: [#${n}] Принтер`);
  expect(mail.text).toBe(`Попробуйте перезапустить.\n\n— ${me}\n\nОтветить или следить за запросом: http://replyby.test/portal/tickets/${n}`);

  const edited = await t.call('PUT', '/api/v1/email/templates/agent_reply/ru', admin, { subject: 'Ответ по [{{ticket.ref}}]', body: '{{reply.body}}\n\nС уважением, {{agent.name}}' });
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  expect((await t.call('POST', `/api/v1/tickets/${n}/messages`, agent, { body: 'Готово?' })).status).toBe(201);
  const again = await newest('mail.agent_reply');
  expect([again.subject, again.text]).toEqual([`Ответ по [#${n}]`, `Готово?\n\nС уважением, ${me}`]);
  // its own placeholders are refused in other kinds of mail, naming the field
  const wrong = await t.call('PUT', '/api/v1/email/templates/pending_reminder/ru', admin, { subject: 'x', body: '{{reply.body}}' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.path).toBe('body');
});
