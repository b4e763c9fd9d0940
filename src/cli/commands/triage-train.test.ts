import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDb } from '../../../test/helpers/test-db.ts';
import type { AppContext } from '../../app/context.ts';
import { seedLabelledTickets } from '../../app/demo/seed-triage.ts';
import { triageTrainCommand } from './triage-train.ts';

let db: Awaited<ReturnType<typeof openTestDb>>;
let ctx: AppContext;
beforeAll(async () => {
  db = await openTestDb();
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  ctx = { db, now: () => new Date('2025-03-10T08:00:00Z'), settings: { ticketPrefix: '#', publicUrl: 'http://x' }, log: silent };
});
afterAll(() => db.dispose());

it('refuses to train on one label, then trains both models on the resolved history and stores them', async () => {
  const lines: string[] = [];
  const out = { write: (s: string) => lines.push(s) };
  expect(await triageTrainCommand(ctx, out)).toBe(0);
  expect(lines.join('')).toMatch(/type: not trained \(0 resolved tickets/);
  const [c] = await db.query<{ id: string }>("INSERT INTO contacts (email, name, created_at, updated_at) VALUES ('h@example.com', 'H', now(), now()) RETURNING id");
  let s = 1;
  await seedLabelledTickets(ctx, [c?.id ?? ''], null, 10, () => ((s = (s * 48271) % 2147483647) / 2147483647));
  lines.length = 0;
  await triageTrainCommand(ctx, out);
  expect(lines.join('')).toMatch(/type: model \d+ trained on 40 resolved tickets, labels .*complaint/);
  expect(lines.join('')).toMatch(/priority: model \d+ trained on 40 resolved tickets/);
  expect(lines.join('')).toMatch(/type: .*5-fold cross-validated accuracy \d+% \(en \d+%, ru \d+%, zh \d+%, bg \d+%\), calibration error [\d.]+%/);
  const models = await db.query<{ target: string; examples: number }>('SELECT target, examples FROM classifier_models ORDER BY target');
  expect(models).toEqual([{ target: 'priority', examples: 40 }, { target: 'type', examples: 40 }]);
});
