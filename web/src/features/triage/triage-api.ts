// Triage on one ticket and its admin (issue 9): the ticket's stage, language, classifier suggestion, repeat
// contact and diagnosis; diagnosis fields; the classifier's settings and training. Typed by the OpenAPI document.

import { call, client } from '../../lib/api.ts';
import { keys } from '../../lib/query.ts';

export type Suggestion = { label: string; confidence: number };
export type TicketTriage = {
  language: string | null;
  stage: string;
  diagnosis: Record<string, string>;
  suggestion: Partial<Record<'type' | 'priority', Suggestion>> | null;
  repeat_of: { id: string; number: number; subject: string } | null;
};
export type DiagnosisField = { key: string; label: string; options: string[]; position: number; active: boolean };
export type TriageSettings = { classifier_threshold: number; repeat_window_days: number; classifier_min_examples: number };
export type ClassStats = { examples: number; correct: number; accuracy: number | null };
/** Cross-validated at training (k folds); null for a model trained before it was measured. */
export type ModelEvaluation = {
  folds: number; examples: number; accuracy: number | null; mean_confidence: number | null; calibration_error: number | null; temperature: number;
  per_class: Record<string, ClassStats>; per_language: Record<'en' | 'ru' | 'zh' | 'bg', ClassStats>;
};
export type LiveModel = { model_id: string; examples: number; trained_at: string; evaluation: ModelEvaluation | null } | null;
export type ClassifierStatus = { type: LiveModel; priority: LiveModel };
export type TrainingReport = Record<'type' | 'priority', { model_id: string | null; examples: number; labels: string[]; trained_at: string | null; evaluation: ModelEvaluation | null }>;

/** Under the ticket's own key, so the live feed's invalidation of a changed ticket refreshes its triage too. */
export const triageKey = (n: string | number) => [...keys.ticket(n), 'triage'] as const;
export const diagnosisFieldsKey = ['diagnosis-fields'] as const;
export const triageSettingsKey = ['triage', 'settings'] as const;

const ref = (r: string | number) => ({ params: { path: { ref: String(r) } } });

export const triageApi = {
  ticket: (r: string | number) => call<TicketTriage>(client.GET('/api/v1/tickets/{ref}/triage', ref(r))),
  setDiagnosis: (r: string | number, values: Record<string, string | null>) =>
    call<{ diagnosis: Record<string, string> }>(client.PATCH('/api/v1/tickets/{ref}/diagnosis', { ...ref(r), body: values })),
  fields: async () => (await call<{ data: DiagnosisField[] }>(client.GET('/api/v1/diagnosis-fields'))).data,
  addField: (body: { key: string; label: string; options: string[] }) => call<DiagnosisField>(client.POST('/api/v1/diagnosis-fields', { body })),
  updateField: (key: string, body: { label?: string; options?: string[]; active?: boolean }) =>
    call<DiagnosisField>(client.PATCH('/api/v1/diagnosis-fields/{key}', { params: { path: { key } }, body })),
  settings: () => call<TriageSettings>(client.GET('/api/v1/triage/settings')),
  updateSettings: (body: Partial<TriageSettings>) => call<TriageSettings>(client.PATCH('/api/v1/triage/settings', { body })),
  classifier: () => call<ClassifierStatus>(client.GET('/api/v1/triage/classifier')),
  train: () => call<TrainingReport>(client.POST('/api/v1/triage/classifier/train')),
};
