import { afterAll, beforeAll, expect, it } from 'vitest';
import { announceClassifierChange, liveModel } from '../src/app/triage/classifier-models.ts';
import type { Queryable } from '../src/store/db.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// Intake asks for both live models (type and priority) on every ticket: each must be read once per training
// run, not once per ticket. A shared cache slot once made the two evict each other, so every ticket re-read
// both models (~1 MB) and intake fell from ~1,000 to ~15 tickets/s.

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

function counting(q: Queryable): Queryable & { modelReads: () => number } {
  let reads = 0;
  return {
    cacheScope: q.cacheScope,
    exec: (sql) => q.exec(sql),
    query: (sql, params) => {
      if (/FROM classifier_models/.test(sql)) reads += 1;
      return q.query(sql, params);
    },
    modelReads: () => reads,
  };
}

const train = (target: 'type' | 'priority', marker: string) => t.ctx.db.transaction(async (tx) => {
  await tx.query('INSERT INTO classifier_models (target, model, examples, created_at) VALUES ($1, $2, 10, now())', [target, JSON.stringify({ labels: [marker], marker })]);
  await announceClassifierChange(tx);
});
const markerOf = async (q: Queryable, target: 'type' | 'priority') => ((await liveModel(t.ctx, q, target))?.model as unknown as { marker: string } | undefined)?.marker;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
}

it('reads each live model once per training run, however the targets interleave', async () => {
  await train('type', 'question');
  await train('priority', 'high');
  await until(async () => (await markerOf(t.ctx.db, 'type')) === 'question' && (await markerOf(t.ctx.db, 'priority')) === 'high');
  const q = counting(t.ctx.db);
  // warm: once the process listens for changes, one read per target fills the cache
  await until(async () => {
    const before = q.modelReads();
    await markerOf(q, 'type');
    await markerOf(q, 'priority');
    return q.modelReads() === before;
  });
  const warm = q.modelReads();
  for (let ticket = 0; ticket < 5; ticket++) {
    expect(await markerOf(q, 'type')).toBe('question');
    expect(await markerOf(q, 'priority')).toBe('high');
  }
  expect(q.modelReads() - warm).toBe(0);

  // a retrain (in any process) is announced: the next ticket reads the new model, and then the cache holds again
  await train('type', 'incident');
  await until(async () => (await markerOf(t.ctx.db, 'type')) === 'incident');
  const afterRetrain = q.modelReads();
  for (let ticket = 0; ticket < 3; ticket++) {
    expect(await markerOf(q, 'type')).toBe('incident');
    expect(await markerOf(q, 'priority')).toBe('high');
  }
  expect(q.modelReads() - afterRetrain).toBeLessThanOrEqual(1);
});
