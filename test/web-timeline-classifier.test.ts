import { readFileSync } from 'node:fs';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { describeEvent, eventText } from '../web/src/app/timeline.tsx';

// Review item 17: the ticket timeline showed `Classifier: {"model_id":"2","confidence":1}`. A change the
// classifier made is a sentence in the reader's language, over the real locale files.

function translator(lang: string): (key: string, opts?: Record<string, unknown>) => string {
  const ns = ['common', 'workspace', 'events', 'classifier'];
  const resources = { [lang]: Object.fromEntries(ns.map((n) => [n, JSON.parse(readFileSync(new URL(`../web/src/locales/${lang}/${n}.json`, import.meta.url), 'utf8'))])) };
  const i18n = createInstance();
  void i18n.init({ lng: lang, resources, ns, defaultNS: 'workspace', initAsync: false, interpolation: { escapeValue: false } });
  return (key, opts) => i18n.t(key, opts ?? {});
}

const ev = (kind: string, before: unknown, after: unknown) => ({ id: 1, kind, actor: null, before, after, created_at: '' });
const typeChange = ev('type_changed', { type: 'quote' }, { type: 'technical_question', classifier: { model_id: '2', confidence: 0.87 } });

describe('timeline: classifier changes', () => {
  it('reads as a sentence with the confidence as a percentage, in four languages', () => {
    const expected: Record<string, string> = {
      en: 'Classifier set type to Technical question (confidence 87%)',
      ru: 'Классификатор установил тип: Технический вопрос (уверенность 87 %)',
      zh: '分类器将类型设为“技术问题”（置信度 87%）',
      bg: 'Класификаторът зададе тип: Технически въпрос (увереност 87 %)',
    };
    for (const [lang, sentence] of Object.entries(expected)) {
      const t = translator(lang);
      const text = eventText(t, 'type_changed', describeEvent(t, typeChange));
      expect(text).toBe(sentence);
      expect(text).not.toMatch(/model_id|\{|"/u);
    }
  });

  it('names priority changes and the stage the classifier moved, never 100 %', () => {
    const en = translator('en');
    expect(describeEvent(en, ev('priority_changed', { priority: 'normal' }, { priority: 'urgent', classifier: { model_id: '3', confidence: 0.9996 } })))
      .toEqual(['Classifier set priority to Urgent (confidence 99%)']);
    expect(describeEvent(en, ev('stage_changed', { stage: 'received' }, { stage: 'triaged', classifier: { model_id: '3', confidence: 0.5 } })))
      .toEqual(['Stage: Received → Triaged (by the classifier, confidence 50%)']);
    // Rules still read as before.
    expect(describeEvent(en, ev('priority_changed', { priority: 'normal' }, { priority: 'urgent', rule: { id: 'r', name: 'Outage words' } })))
      .toEqual(['Priority: Normal → Urgent', 'Rule: Outage words']);
  });
});
