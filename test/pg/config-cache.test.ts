import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// Intake keeps the triage settings and the live classifier models in a per-process cache
// (app/shared/config-cache.ts), dropped by NOTIFY. Two servers on one schema, each with its own pool and
// LISTEN connection — two processes as far as PostgreSQL can tell: a change made through one is used by
// the other's next tickets, without a restart. The NOTIFY arrives asynchronously, so the other server is
// given a few seconds (new requests until one shows the change); the first request after the change
// normally already does.

let a: TestApp;
let dbB: Db;
let callB: TestApp['call'];
let closeB: () => Promise<void>;

beforeAll(async () => {
  a = await startTestApp();
  const [row] = await a.ctx.db.query<{ s: string }>('SELECT current_schema() AS s');
  dbB = await openDb({ databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test', schema: row?.s ?? '', poolSize: 2 });
  const ctxB: AppContext = { ...a.ctx, db: dbB };
  const appB = await buildServer(ctxB, { bodyLimitBytes: 64 * 1024, logLevel: 'silent', signInPerMinute: 1000, publicPerMinute: 1000, secureCookies: false });
  callB = async (method, url, token, body) => {
    const res = await appB.inject({
      method, url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };
  closeB = async () => {
    await appB.close();
    await dbB.close();
  };
});
afterAll(async () => {
  await closeB();
  await a.close();
});

const request = async (subject: string, message: string, email: string): Promise<number> => {
  const res = await a.call('POST', '/api/v1/public/requests', null, { name: 'Customer', email, subject, message });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as number;
};

/** New requests on server A until `seen` holds for one (at most ~5 s): the NOTIFY from B has to come round. */
async function untilServerASees(make: () => Promise<number>, seen: (n: number) => Promise<boolean>): Promise<number> {
  for (let i = 0; i < 25; i += 1) {
    const n = await make();
    if (await seen(n)) return i;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server A never saw the change made through server B');
}

describe('settings and models cached per process, dropped by NOTIFY', () => {
  it('a repeat window changed through server B is used by server A', async () => {
    const admin = await a.signIn('admin@test.dev');
    const first = await request('Invoice PDF is empty', 'The downloaded invoice has no pages.', 'window@example.com');
    await a.call('PATCH', `/api/v1/tickets/${first}`, admin, { status: 'solved' });
    a.clock.advanceMinutes(60 * 24 * 20);
    const staff = await a.signIn('admin@test.dev');
    const repeatOf = async (n: number) => (await a.call('GET', `/api/v1/tickets/${n}/triage`, staff)).body.repeat_of as { number: number } | null;
    // Outside the 14-day window, and server A has cached the window.
    expect(await repeatOf(await request('Invoice PDF is empty again', 'Still no pages.', 'window@example.com'))).toBeNull();
    expect(await repeatOf(await request('Invoice PDF is empty again', 'Still no pages.', 'window@example.com'))).toBeNull();

    expect((await callB('PATCH', '/api/v1/triage/settings', staff, { repeat_window_days: 30 })).body).toEqual({ classifier_threshold: 0.8, repeat_window_days: 30, classifier_min_examples: 20 });
    expect((await a.call('GET', '/api/v1/triage/settings', staff)).body.repeat_window_days).toBe(30);
    await untilServerASees(() => request('Invoice PDF is empty again', 'Still no pages.', 'window@example.com'), async (n) => (await repeatOf(n))?.number === first);
  });

  it('a classifier trained through server B classifies server A\'s next requests', async () => {
    const admin = await a.signIn('admin@test.dev');
    await callB('PATCH', '/api/v1/triage/settings', admin, { classifier_threshold: 0.6, classifier_min_examples: 10 });
    // Server A reads the models before any exists: it caches "no model".
    const before = await request('Списали деньги дважды', 'Верните оплату, счёт оплачен дважды.', 'early@example.com');
    expect((await a.call('GET', `/api/v1/tickets/${before}`, admin)).body.type).toBe('technical_question');
    for (let i = 0; i < 6; i += 1) {
      for (const [subject, message, type] of [
        [`Refund for invoice ${i}`, 'We were charged twice, please refund the invoice payment.', 'complaint'],
        [`Счёт оплачен дважды ${i}`, 'Деньги списаны дважды, верните оплату.', 'complaint'],
        [`How to export reports ${i}`, 'Where do I find the export button for reports?', 'information_request'],
        [`Как выгрузить отчёт ${i}`, 'Где находится кнопка выгрузки отчётов?', 'information_request'],
      ]) {
        const res = await a.call('POST', '/api/v1/tickets', admin, { subject, message, type, requester: { email: 'trainer@example.com' } });
        await a.call('PATCH', `/api/v1/tickets/${res.body.number}`, admin, { status: 'solved' });
      }
    }
    const trained = await callB('POST', '/api/v1/triage/classifier/train', admin);
    expect(trained.status, JSON.stringify(trained.body)).toBe(200);
    await untilServerASees(
      () => request('Списали деньги дважды', 'Верните оплату, счёт оплачен дважды.', 'client@example.com'),
      async (n) => (await a.call('GET', `/api/v1/tickets/${n}`, admin)).body.type === 'complaint',
    );
  });
});
