// Classifier accuracy and calibration: the demo seed's labelled multilingual tickets (the same generator,
// 100 per language by default), stored as resolved tickets in an in-memory PGlite and read back the way
// `triage train` reads them.
//  1. What training stores with the model (and the admin screen shows): k-fold cross-validated accuracy per
//     class and per language over all resolved tickets, mean confidence and calibration error (ECE, 10 bins).
//  2. A held-out check of that: 80 % train / 20 % held out by a hash of the ticket number; the calibrated
//     model against the same naive Bayes without a fitted temperature, and the majority-class baseline.
//   BENCH_PER_LANGUAGE   labelled tickets per language (default 100, as the demo seed)
// Last line: classifier-bench: type_acc=… type_ece=… type_baseline=… priority_acc=… priority_ece=… priority_baseline=… held_out=N
import { seedLabelledTickets } from '../src/app/demo/seed-triage.ts';
import { resolvedExamples } from '../src/app/triage/train-classifier.ts';
import { calibrationError, isHeldOut, majorityLabel, predict, trainCalibrated, type NaiveBayesModel } from '../src/core/triage/classifier.ts';
import { TRIAGE_LANGUAGES } from '../src/core/triage/text.ts';
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
const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

const results: Record<string, string> = {};
console.log(`classifier: ${rows.length} resolved tickets`);
for (const target of ['type', 'priority'] as const) {
  // 1. k-fold cross-validation over everything, as `triage train` stores it.
  const t0 = performance.now();
  const all = trainCalibrated(rows.map((r) => ({ text: r.text, label: r[target] })));
  const trainMs = performance.now() - t0;
  const e = all.evaluation;
  console.log(`\n${target}: ${e.folds}-fold cross-validation over ${e.examples} (trained and cross-validated in ${trainMs.toFixed(0)} ms, temperature ${e.temperature.toFixed(2)})`);
  console.log(`  accuracy ${f3(e.accuracy)}  mean confidence ${f3(e.mean_confidence)}  calibration error (ECE) ${f3(e.calibration_error)}`);
  console.log('  class                 n    accuracy');
  for (const [label, c] of Object.entries(e.per_class)) console.log(`  ${label.padEnd(21)} ${String(c.examples).padEnd(4)} ${f3(c.accuracy)}`);
  console.log('  language              n    accuracy');
  for (const lang of TRIAGE_LANGUAGES) console.log(`  ${lang.padEnd(21)} ${String(e.per_language[lang].examples).padEnd(4)} ${f3(e.per_language[lang].accuracy)}`);

  // 2. Held out: calibrated vs the same model with temperature 1 (how it was used before calibration).
  const { model } = trainCalibrated(train.map((r) => ({ text: r.text, label: r[target] })));
  const raw: NaiveBayesModel = { ...model, temperature: 1 };
  const baseline = majorityLabel(train.map((r) => ({ text: r.text, label: r[target] })));
  const score = (m: NaiveBayesModel) => {
    const outcomes = test.map((r) => {
      const p = predict(m, r.text);
      return { confidence: p?.confidence ?? 0, correct: p?.label === r[target] };
    });
    const acc = outcomes.filter((o) => o.correct).length / outcomes.length;
    const conf = outcomes.reduce((a, o) => a + o.confidence, 0) / outcomes.length;
    const max = Math.max(...outcomes.map((o) => o.confidence));
    return { acc, conf, ece: calibrationError(outcomes), max };
  };
  const cal = score(model);
  const unc = score(raw);
  const base = test.filter((r) => r[target] === baseline).length / test.length;
  console.log(`  held out (${train.length} train / ${test.length} test):           accuracy  mean-conf  ECE    max-conf`);
  console.log(`    calibrated (temperature ${model.temperature?.toFixed(2)})           ${f3(cal.acc)}     ${f3(cal.conf)}      ${f3(cal.ece)}  ${f3(cal.max)}`);
  console.log(`    uncalibrated (temperature 1)            ${f3(unc.acc)}     ${f3(unc.conf)}      ${f3(unc.ece)}  ${f3(unc.max)}`);
  console.log(`    majority baseline ("${baseline}")${' '.repeat(Math.max(1, 22 - String(baseline).length))}${f3(base)}`);
  results[`${target}_acc`] = f3(cal.acc);
  results[`${target}_ece`] = f3(cal.ece);
  results[`${target}_baseline`] = f3(base);
}
await db.close();
console.log(`\nclassifier-bench: type_acc=${results.type_acc} type_ece=${results.type_ece} type_baseline=${results.type_baseline} priority_acc=${results.priority_acc} priority_ece=${results.priority_ece} priority_baseline=${results.priority_baseline} held_out=${test.length}`);
