import { afterAll, beforeAll, expect, it } from 'vitest';
import { liveModel } from '../src/app/triage/classifier-models.ts';
import type { Queryable } from '../src/store/db.ts';
import { openTestDb } from './helpers/test-db.ts';

// Intake asks for both live models (type and priority) on every ticket: each must be read and parsed once
// per training run, not once per ticket. A shared cache slot once made the two evict each other, so every
// ticket re-read both models (~1 MB) and intake fell from ~1,000 to ~15 tickets/s.

let db: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => { db = await openTestDb(); });
afterAll(() => db.dispose());

function counting(q: Queryable): Queryable & { modelReads: () => number } {
  let reads = 0;
  return {
    cacheScope: q.cacheScope,
    exec: (sql) => q.exec(sql),
    query: (sql, params) => {
      if (/SELECT model FROM classifier_models/.test(sql)) reads += 1;
      return q.query(sql, params);
    },
    modelReads: () => reads,
  };
}

const model = (label: string) => ({ labels: [label], marker: label });
const train = async (target: 'type' | 'priority', label: string) =>
  db.query('INSERT INTO classifier_models (target, model, examples, created_at) VALUES ($1, $2, 10, now())', [target, JSON.stringify(model(label))]);

it('reads each live model once per training run, however the targets interleave', async () => {
  await train('type', 'question');
  await train('priority', 'high');
  const q = counting(db);
  for (let ticket = 0; ticket < 5; ticket++) {
    expect((await liveModel(q, 'type'))?.model).toMatchObject({ marker: 'question' });
    expect((await liveModel(q, 'priority'))?.model).toMatchObject({ marker: 'high' });
  }
  expect(q.modelReads()).toBe(2);

  await train('type', 'incident');
  for (let ticket = 0; ticket < 3; ticket++) {
    expect((await liveModel(q, 'type'))?.model).toMatchObject({ marker: 'incident' });
    expect((await liveModel(q, 'priority'))?.model).toMatchObject({ marker: 'high' });
  }
  expect(q.modelReads()).toBe(3);
});
