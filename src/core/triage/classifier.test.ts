import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrationError, predict, trainCalibrated, trainNaiveBayes, type Example } from './classifier.ts';

// Review item 3: the demo classifier said 1.0 for everything. These check the probabilities themselves:
// bounded, normalised, never certain from a small sample, and matching the accuracy seen on new data.

const WORDS = ['invoice', 'refund', 'login', 'error', 'price', 'quote', 'crash', 'export', 'счёт', 'ошибка', '报价', '宕机', 'грешка', 'оферта'];

const examplesArb = fc.array(
  fc.record({
    label: fc.constantFrom('a', 'b', 'c', 'd'),
    // Long, repetitive texts are the worst case: raw naive Bayes multiplies every n-gram's likelihood.
    text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 40 }).map((ws) => ws.join(' ')),
  }),
  { minLength: 2, maxLength: 120 },
// A one-label model is never stored (training keeps the previous model instead): there is nothing to choose between.
).filter((xs) => new Set(xs.map((x) => x.label)).size >= 2);

describe('calibrated naive Bayes', () => {
  it('confidences lie strictly in (0,1), sum to 1 over the labels and never reach 1 from fewer than 200 examples', () => {
    fc.assert(fc.property(examplesArb, fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 60 }), fc.boolean(), (examples, query, calibrated) => {
      const model = calibrated ? trainCalibrated(examples).model : trainNaiveBayes(examples);
      const p = predict(model, query.join(' '));
      expect(p).not.toBeNull();
      if (!p) return;
      const values = Object.values(p.probabilities);
      expect(values).toHaveLength(new Set(examples.map((e) => e.label)).size);
      for (const v of values) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThan(1);
      }
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(p.confidence).toBe(Math.max(...values));
      expect(p.confidence).toBeLessThan(1);
    }), { numRuns: 150 });
  });

  it('perfectly separable data still gives less than certainty, the less the fewer examples', () => {
    const data = (n: number): Example[] => Array.from({ length: n }, (_, i) => i % 2
      ? { text: 'invoice refund charged twice money back invoice refund', label: 'complaint' }
      : { text: 'server crash error login fails timeout error crash', label: 'technical' });
    const small = predict(trainCalibrated(data(6)).model, 'invoice refund charged twice money back')?.confidence ?? 1;
    const large = predict(trainCalibrated(data(200)).model, 'invoice refund charged twice money back')?.confidence ?? 1;
    expect(small).toBeLessThan(1);
    expect(large).toBeLessThan(1);
    expect(small).toBeLessThan(large);
  });

  it('a label seen fewer times than the minimum is predicted but not applicable', () => {
    const examples: Example[] = [
      ...Array.from({ length: 25 }, (_, i) => ({ text: `cannot log in error ${i}`, label: 'technical' })),
      ...Array.from({ length: 5 }, (_, i) => ({ text: `please send a price quote ${i}`, label: 'quote' })),
    ];
    const { model } = trainCalibrated(examples);
    expect(predict(model, 'price quote please')).toMatchObject({ label: 'quote', applicable: false });
    expect(predict(model, 'price quote please', 5)).toMatchObject({ label: 'quote', applicable: true });
    expect(predict(model, 'log in error')).toMatchObject({ label: 'technical', applicable: true });
    // Uncalibrated (a model stored before calibration existed): suggestions only.
    expect(predict(trainNaiveBayes(examples), 'log in error')).toMatchObject({ label: 'technical', applicable: false });
  });

  it('reported confidence matches the accuracy on held-out data (reliability)', () => {
    // Noisy synthetic requests: three topics sharing common words, 15 % of labels wrong, so no model can be
    // near-certain and an uncalibrated one (which says ~1.0) would be off by the error rate.
    let s = 12345;
    const rand = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const topics = ['a', 'b', 'c'].map((l) => Array.from({ length: 25 }, (_, i) => `${l}${i}x`));
    const common = Array.from({ length: 60 }, (_, i) => `w${i}q`);
    const pick = <X,>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
    const sample = (): Example => {
      const li = Math.floor(rand() * 3);
      const text = Array.from({ length: 8 }, () => (rand() < 0.3 ? pick(topics[li] ?? []) : rand() < 0.2 ? pick(pick(topics)) : pick(common))).join(' ');
      return { text, label: rand() < 0.15 ? pick(['a', 'b', 'c']) : (['a', 'b', 'c'][li] as string) };
    };
    const train = Array.from({ length: 600 }, sample);
    const test = Array.from({ length: 1500 }, sample);
    const { model, evaluation } = trainCalibrated(train);
    const outcomes = test.map((e) => {
      const p = predict(model, e.text);
      return { confidence: p?.confidence ?? 0, correct: p?.label === e.label };
    });
    const accuracy = outcomes.filter((o) => o.correct).length / outcomes.length;
    const meanConfidence = outcomes.reduce((a, o) => a + o.confidence, 0) / outcomes.length;
    expect(accuracy).toBeLessThan(0.95);
    expect(Math.abs(meanConfidence - accuracy)).toBeLessThan(0.05);
    expect(calibrationError(outcomes)).toBeLessThan(0.08);
    // The cross-validated figures stored with the model predict what held-out data then shows.
    expect(Math.abs((evaluation.accuracy ?? 0) - accuracy)).toBeLessThan(0.06);
    expect(evaluation.calibration_error).toBeLessThan(0.08);
  });

  it('measures accuracy per class and per language by cross-validation', () => {
    const examples: Example[] = [];
    for (let i = 0; i < 10; i += 1) {
      examples.push({ text: `Please send a price quote for ${i} seats`, label: 'quote' });
      examples.push({ text: `The server is down, error ${i}`, label: 'technical' });
      examples.push({ text: `Пришлите коммерческое предложение для ${i} пользователей`, label: 'quote' });
      examples.push({ text: `Сервер не работает, ошибка ${i}`, label: 'technical' });
      examples.push({ text: `请发送${i}个席位的报价`, label: 'quote' });
      examples.push({ text: `Сървърът не работи, моля помогнете ${i}`, label: 'technical' });
    }
    const { evaluation } = trainCalibrated(examples);
    expect(evaluation.folds).toBe(5);
    expect(evaluation.examples).toBe(60);
    expect(evaluation.per_class.quote?.examples).toBe(30);
    expect(evaluation.per_class.technical?.examples).toBe(30);
    expect([evaluation.per_language.en.examples, evaluation.per_language.ru.examples, evaluation.per_language.zh.examples, evaluation.per_language.bg.examples]).toEqual([20, 20, 10, 10]);
    expect(evaluation.accuracy).toBeGreaterThan(0.9);
    // Too few to hold any out: no figures rather than made-up ones.
    expect(trainCalibrated(examples.slice(0, 3)).evaluation).toMatchObject({ folds: 0, accuracy: null });
  });
});
