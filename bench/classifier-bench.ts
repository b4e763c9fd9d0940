// Classifier accuracy: the demo seed's labelled multilingual tickets (the same generator, 100 per
// language by default), stored as resolved tickets in an in-memory PGlite and read back the way
// `triage train` reads them; 80 % train / 20 % held out by a hash of the ticket number. Accuracy per
// language for type and priority, against the majority-class baseline of the training split.
//   BENCH_PER_LANGUAGE   labelled tickets per language (default 100, as the demo seed)
// Last line: classifier-bench: type_acc=… type_baseline=… priority_acc=… priority_baseline=… held_out=N
import { seedLabelledTickets } from '../src/app/demo/seed-triage.ts';
import { resolvedExamples } from '../src/app/triage/train-classifier.ts';
import { isHeldOut, majorityLabel, predict, trainNaiveBayes } from '../src/core/triage/classifier.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const perLanguage = Number(process.env.BENCH_PER_LANGUAGE ?? 100);
const db = await openDb({});
await migrate(db);
const now = new Date();
const [contact] = await db.query<{ id: string }>("INSERT INTO contacts (email, name, created_at, updated_at) VALUES ('bench@example.com', 'Bench', $1, $1) RETURNING id", [now]);
if (!contact) throw new Error('no contact');
let s = 7;
const rand = () => {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  return s / 4294967296;
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
await seedLabelledTickets({ db, now: () => now, settings: { ticketPrefix: '#', publicUrl: 'http://bench' }, log: silent }, [contact.id], null, perLanguage, rand);
const rows = await resolvedExamples(db);
const train = rows.filter((r) => !isHeldOut(String(r.number)));
const test = rows.filter((r) => isHeldOut(String(r.number)));

const results: Record<string, string> = {};
console.log(`classifier: ${rows.length} resolved tickets, ${train.length} train / ${test.length} held out`);
console.log('target    lang  n    accuracy  majority-baseline');
for (const target of ['type', 'priority'] as const) {
  const t0 = performance.now();
  const model = trainNaiveBayes(train.map((r) => ({ text: r.text, label: r[target] })));
  const trainMs = performance.now() - t0;
  const baseline = majorityLabel(train.map((r) => ({ text: r.text, label: r[target] })));
  let allHit = 0;
  let allBase = 0;
  for (const lang of ['en', 'ru', 'zh', 'bg']) {
    const part = test.filter((r) => r.language === lang);
    const hit = part.filter((r) => predict(model, r.text)?.label === r[target]).length;
    const base = part.filter((r) => r[target] === baseline).length;
    allHit += hit;
    allBase += base;
    console.log(`${target.padEnd(9)} ${lang}    ${String(part.length).padEnd(4)} ${(hit / part.length).toFixed(3).padEnd(9)} ${(base / part.length).toFixed(3)}`);
  }
  console.log(`${target.padEnd(9)} all   ${String(test.length).padEnd(4)} ${(allHit / test.length).toFixed(3).padEnd(9)} ${(allBase / test.length).toFixed(3)}   (trained in ${trainMs.toFixed(0)} ms)`);
  results[`${target}_acc`] = (allHit / test.length).toFixed(3);
  results[`${target}_baseline`] = (allBase / test.length).toFixed(3);
}
await db.close();
console.log(`classifier-bench: type_acc=${results.type_acc} type_baseline=${results.type_baseline} priority_acc=${results.priority_acc} priority_baseline=${results.priority_baseline} held_out=${test.length}`);
