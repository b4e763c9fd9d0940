// A change the classifier made reads as a sentence — "Classifier set type to Technical question (confidence
// 87%)" — never as its stored origin `{"model_id":"2","confidence":0.87}` (review item 17).

/** The translator the timeline passes down (react-i18next's `t` or a plain i18next instance's). */
type Translate = (key: string, opts?: Record<string, unknown>) => string;

/** The classifier's origin on an event's `after`, with its confidence as a whole percentage; null for other events. */
export function classifierOrigin(after: Record<string, unknown>): { pct: number | null } | null {
  const c = after.classifier;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return null;
  const confidence = (c as Record<string, unknown>).confidence;
  // Rounded down: a 0.996 is not "100%" (the classifier is never certain).
  return { pct: typeof confidence === 'number' ? Math.floor(confidence * 100 + 1e-9) : null };
}

/** "Classifier set type to Technical question (confidence 87%)"; `value` is already in the reader's words. */
export function classifierSentence(t: Translate, field: string, value: string, origin: { pct: number | null }): string {
  return t('classifier:timeline.set', { field: t(`classifier:timeline.field.${field}`, { defaultValue: field }), value, pct: origin.pct ?? '?' });
}

/** For other lines of a classifier-made event (the stage it moved): who did it, and how sure it was. */
export function classifierSuffix(t: Translate, origin: { pct: number | null }): string {
  return t('classifier:timeline.by', { pct: origin.pct ?? '?' });
}
