import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// The admin side of triage (issue 9): editing and retiring diagnosis fields, the classifier's status, archiving
// knowledge-base articles (with their translations) and renaming/deleting categories — through the HTTP API.

let t: TestApp;
let admin: string;
let supervisor: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  [admin, supervisor, agent] = await Promise.all([t.signIn('admin@test.dev'), t.signIn('super@test.dev'), t.signIn('alex@test.dev')]);
});
afterAll(() => t.close());

const MISSING = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const newTicket = async (subject: string) => {
  const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message: 'Details inside.', requester: { email: 'diag@example.com' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as number;
};

describe('PATCH /api/v1/diagnosis-fields/:key', () => {
  it('renames a field and changes its options; bad input is refused naming the field; agents may not; unknown keys are 404', async () => {
    await t.call('POST', '/api/v1/diagnosis-fields', admin, { key: 'channel_used', label: 'Channel', options: ['web', 'mail'] });
    const ok = await t.call('PATCH', '/api/v1/diagnosis-fields/channel_used', admin, { label: 'Channel used', options: ['web', 'mail', 'phone'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ key: 'channel_used', label: 'Channel used', options: ['web', 'mail', 'phone'], active: true });
    const listed = (await t.call('GET', '/api/v1/diagnosis-fields', agent)).body.data.find((f: { key: string }) => f.key === 'channel_used');
    expect(listed).toMatchObject({ label: 'Channel used', options: ['web', 'mail', 'phone'], active: true });

    for (const [body, path] of [
      [{ label: '  ' }, 'label'],
      [{ options: ['web', 'web'] }, 'options'],
      [{ options: [''] }, 'options[0]'],
      [{ active: 'no' }, 'active'],
      [{ key: 'renamed' }, 'key'],
    ] as const) {
      const res = await t.call('PATCH', '/api/v1/diagnosis-fields/channel_used', admin, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.path).toBe(path);
    }
    expect((await t.call('PATCH', '/api/v1/diagnosis-fields/channel_used', agent, { label: 'Nope' })).status).toBe(403);
    expect((await t.call('PATCH', '/api/v1/diagnosis-fields/channel_used', supervisor, { label: 'Nope' })).status).toBe(403);
    expect((await t.call('PATCH', '/api/v1/diagnosis-fields/no_such_field', admin, { label: 'x' })).status).toBe(404);
    // Nothing half-written by the refused changes.
    expect((await t.call('GET', '/api/v1/diagnosis-fields', admin)).body.data.find((f: { key: string }) => f.key === 'channel_used').label).toBe('Channel used');
  });

  it('retiring keeps values already stored on tickets; a retired field takes no new value but can be cleared; restoring brings it back', async () => {
    await t.call('POST', '/api/v1/diagnosis-fields', admin, { key: 'region', label: 'Region', options: ['eu', 'us'] });
    const [kept, cleared, fresh] = [await newTicket('Region kept'), await newTicket('Region cleared'), await newTicket('Region fresh')];
    for (const n of [kept, cleared]) expect((await t.call('PATCH', `/api/v1/tickets/${n}/diagnosis`, agent, { region: 'eu' })).status).toBe(200);

    const retired = await t.call('PATCH', '/api/v1/diagnosis-fields/region', admin, { active: false, options: ['us'] });
    expect(retired.body).toMatchObject({ active: false, options: ['us'] });
    expect((await t.call('GET', `/api/v1/tickets/${kept}/triage`, agent)).body.diagnosis).toEqual({ region: 'eu' });

    const refused = await t.call('PATCH', `/api/v1/tickets/${fresh}/diagnosis`, agent, { region: 'us' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ path: 'region' });
    expect(refused.body.error.message).toContain('retired');
    expect((await t.call('GET', `/api/v1/tickets/${fresh}/triage`, agent)).body.diagnosis).toEqual({});
    const clear = await t.call('PATCH', `/api/v1/tickets/${cleared}/diagnosis`, agent, { region: null });
    expect(clear.status).toBe(200);
    expect(clear.body.diagnosis).toEqual({});

    expect((await t.call('PATCH', '/api/v1/diagnosis-fields/region', admin, { active: true })).body.active).toBe(true);
    expect((await t.call('PATCH', `/api/v1/tickets/${fresh}/diagnosis`, agent, { region: 'us' })).body.diagnosis).toEqual({ region: 'us' });
    // The value stored before the option was removed is still on its ticket.
    expect((await t.call('GET', `/api/v1/tickets/${kept}/triage`, agent)).body.diagnosis).toEqual({ region: 'eu' });
  });
});

describe('GET /api/v1/triage/classifier', () => {
  it('names no model before training, then the live model of each target with its examples and training time', async () => {
    expect((await t.call('GET', '/api/v1/triage/classifier', agent)).body).toEqual({ type: null, priority: null });
    expect((await t.call('GET', '/api/v1/triage/classifier', null)).status).toBe(401);
    for (const [subject, type, priority] of [
      ['Refund please', 'complaint', 'high'], ['Charged twice', 'complaint', 'high'],
      ['Where is export', 'information_request', 'low'], ['How to export', 'information_request', 'low'],
    ] as const) {
      const res = await t.call('POST', '/api/v1/tickets', admin, { subject, message: subject, type, priority, requester: { email: 'train@example.com' } });
      await t.call('PATCH', `/api/v1/tickets/${res.body.number}`, admin, { status: 'solved' });
    }
    const trained = await t.call('POST', '/api/v1/triage/classifier/train', admin);
    expect(trained.status).toBe(200);
    expect(trained.body.type.trained_at).toBe(t.clock.now.toISOString());
    const status = (await t.call('GET', '/api/v1/triage/classifier', agent)).body;
    expect(status.type).toEqual({ model_id: trained.body.type.model_id, examples: trained.body.type.examples, trained_at: trained.body.type.trained_at, evaluation: trained.body.type.evaluation });
    expect(status.type.evaluation).toMatchObject({ folds: 2, examples: 4, per_class: { complaint: { examples: 2 }, information_request: { examples: 2 } } });
    expect(status.priority).toMatchObject({ model_id: trained.body.priority.model_id });
  });
});

describe('knowledge base: archive and restore', () => {
  const article = (body: Record<string, unknown>) => t.call('POST', '/api/v1/kb/articles', agent, { status: 'published', ...body });

  it('archiving an original archives its translations with it: gone from the help centre and search, restorable together', async () => {
    const en = await article({ language: 'en', title: 'Rotating API keys', body: 'Rotate your keys from the developer settings page.' });
    const ru = await article({ language: 'ru', title: 'Смена ключей API', body: 'Смените ключи на странице настроек разработчика.', original_id: en.body.id });
    const bg = await article({ language: 'bg', title: 'Смяна на API ключове', body: 'Сменете ключовете от настройките.', original_id: en.body.id });
    expect((await t.call('GET', `/api/v1/help/articles/${ru.body.id}`, null)).status).toBe(200);

    expect((await t.call('POST', `/api/v1/kb/articles/${en.body.id}/archive`, agent)).status).toBe(403);
    const archived = await t.call('POST', `/api/v1/kb/articles/${en.body.id}/archive`, supervisor);
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect(archived.body.affected_ids).toEqual([en.body.id, ru.body.id, bg.body.id].sort());
    expect(archived.body.archived_at).toBe(t.clock.now.toISOString());
    expect(archived.body.url).toBeNull();

    for (const id of [en.body.id, ru.body.id, bg.body.id]) expect((await t.call('GET', `/api/v1/help/articles/${id}`, null)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/kb/search?q=rotate%20keys', agent)).body.data).toEqual([]);
    expect((await t.call('GET', '/api/v1/help/articles', null)).body.data.map((a: { id: string }) => a.id)).not.toContain(en.body.id);
    // Staff still read it (to restore it), with its archived translations marked.
    const staff = (await t.call('GET', `/api/v1/kb/articles/${en.body.id}`, agent)).body;
    expect(staff.translations.map((x: { archived_at: string | null }) => x.archived_at)).toEqual([archived.body.archived_at, archived.body.archived_at]);
    expect((await t.call('GET', '/api/v1/kb/archived', agent)).body.data.map((a: { id: string }) => a.id).sort()).toEqual([en.body.id, ru.body.id, bg.body.id].sort());

    expect((await t.call('POST', `/api/v1/kb/articles/${en.body.id}/archive`, admin)).status).toBe(409);
    const edit = await t.call('PATCH', `/api/v1/kb/articles/${en.body.id}`, agent, { title: 'Changed' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain('archived');
    const orphan = await t.call('POST', `/api/v1/kb/articles/${ru.body.id}/restore`, admin);
    expect(orphan.status).toBe(409);
    expect(orphan.body.error.message).toContain('original');
    const newTranslation = await article({ language: 'zh', title: '轮换密钥', body: '在开发者设置中轮换密钥。', original_id: en.body.id });
    expect(newTranslation.status).toBe(400);
    expect(newTranslation.body.error.path).toBe('original_id');

    t.clock.advanceMinutes(5);
    const restored = await t.call('POST', `/api/v1/kb/articles/${en.body.id}/restore`, admin);
    expect(restored.status).toBe(200);
    expect(restored.body.affected_ids).toEqual([en.body.id, ru.body.id, bg.body.id].sort());
    expect(restored.body.archived_at).toBeNull();
    expect((await t.call('GET', `/api/v1/help/articles/${bg.body.id}`, null)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/kb/search?q=rotate%20keys', agent)).body.data.map((h: { id: string }) => h.id)).toEqual([en.body.id]);
    expect((await t.call('POST', `/api/v1/kb/articles/${en.body.id}/restore`, admin)).status).toBe(409);
  });

  it('archiving a translation archives only that translation; restoring the original later leaves it archived', async () => {
    const en = await article({ language: 'en', title: 'Exporting invoices', body: 'Invoices export as PDF from billing.' });
    const ru = await article({ language: 'ru', title: 'Выгрузка счетов', body: 'Счета выгружаются в PDF.', original_id: en.body.id });
    const bg = await article({ language: 'bg', title: 'Експорт на фактури', body: 'Фактурите се експортират в PDF.', original_id: en.body.id });
    const one = await t.call('POST', `/api/v1/kb/articles/${ru.body.id}/archive`, admin);
    expect(one.body.affected_ids).toEqual([ru.body.id]);
    expect((await t.call('GET', `/api/v1/help/articles/${en.body.id}`, null)).body.translations.map((x: { id: string }) => x.id)).toEqual([bg.body.id]);
    // Its language stays taken by the archived translation, which can be restored instead.
    const again = await article({ language: 'ru', title: 'Ещё раз', body: 'x', original_id: en.body.id });
    expect(again.status).toBe(409);
    expect(again.body.error.path).toBe('language');

    t.clock.advanceMinutes(1);
    await t.call('POST', `/api/v1/kb/articles/${en.body.id}/archive`, admin);
    t.clock.advanceMinutes(1);
    const back = await t.call('POST', `/api/v1/kb/articles/${en.body.id}/restore`, admin);
    expect(back.body.affected_ids).toEqual([en.body.id, bg.body.id].sort());
    expect((await t.call('GET', `/api/v1/help/articles/${ru.body.id}`, null)).status).toBe(404);
    expect((await t.call('POST', `/api/v1/kb/articles/${ru.body.id}/restore`, admin)).body.archived_at).toBeNull();
  });

  it('unknown and malformed ids', async () => {
    expect((await t.call('POST', `/api/v1/kb/articles/${MISSING}/archive`, admin)).status).toBe(404);
    expect((await t.call('POST', `/api/v1/kb/articles/${MISSING}/restore`, admin)).status).toBe(404);
    const bad = await t.call('POST', '/api/v1/kb/articles/not-a-uuid/archive', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('id');
    expect((await t.call('GET', '/api/v1/kb/archived', null)).status).toBe(401);
  });
});

describe('knowledge base: categories', () => {
  it('rename: 200, 400 naming the field, 403 for an agent, 404, 409 on a taken name', async () => {
    const a = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Billing FAQ' });
    await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Accounts FAQ' });
    const ok = await t.call('PATCH', `/api/v1/kb/categories/${a.body.id}`, supervisor, { name: 'Billing and invoices', position: 3 });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: a.body.id, name: 'Billing and invoices', position: 3, names: {} });
    expect((await t.call('GET', '/api/v1/kb/categories', null)).body.data.map((c: { name: string }) => c.name)).toContain('Billing and invoices');
    const blank = await t.call('PATCH', `/api/v1/kb/categories/${a.body.id}`, admin, { name: ' ' });
    expect([blank.status, blank.body.error.path]).toEqual([400, 'name']);
    expect((await t.call('PATCH', `/api/v1/kb/categories/${a.body.id}`, admin, { position: -1 })).body.error.path).toBe('position');
    expect((await t.call('PATCH', `/api/v1/kb/categories/${a.body.id}`, agent, { name: 'Mine' })).status).toBe(403);
    expect((await t.call('PATCH', `/api/v1/kb/categories/${MISSING}`, admin, { name: 'Ghost' })).status).toBe(404);
    const taken = await t.call('PATCH', `/api/v1/kb/categories/${a.body.id}`, admin, { name: 'Accounts FAQ' });
    expect([taken.status, taken.body.error.path]).toEqual([409, 'name']);
  });

  it('delete: an empty category goes; one holding articles (archived ones too) is refused with 409 naming why', async () => {
    const empty = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Empty one' });
    const full = await t.call('POST', '/api/v1/kb/categories', admin, { name: 'Full one' });
    const art = await t.call('POST', '/api/v1/kb/articles', agent, { language: 'en', title: 'In a category', body: 'Body.', category_id: full.body.id });
    expect((await t.call('DELETE', `/api/v1/kb/categories/${empty.body.id}`, agent)).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/kb/categories/${empty.body.id}`, admin)).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/kb/categories/${empty.body.id}`, admin)).status).toBe(404);
    expect((await t.call('DELETE', '/api/v1/kb/categories/nope', admin)).body.error.path).toBe('id');

    await t.call('POST', `/api/v1/kb/articles/${art.body.id}/archive`, admin);
    const refused = await t.call('DELETE', `/api/v1/kb/categories/${full.body.id}`, admin);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('still holds 1 article');
    expect((await t.call('GET', '/api/v1/kb/categories', null)).body.data.map((c: { id: string }) => c.id)).toContain(full.body.id);

    await t.call('POST', `/api/v1/kb/articles/${art.body.id}/restore`, admin);
    await t.call('PATCH', `/api/v1/kb/articles/${art.body.id}`, agent, { category_id: null });
    expect((await t.call('DELETE', `/api/v1/kb/categories/${full.body.id}`, admin)).status).toBe(204);
  });
});
