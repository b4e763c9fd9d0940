import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { humanize } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { triageApi, triageSettingsKey, type ClassifierStatus, type ModelEvaluation, type TrainingReport, type TriageSettings } from '../triage/triage-api.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';

const TARGETS = ['type', 'priority'] as const;

/** Admin → Classifier: the confidence threshold, the repeat-contact window, the live models and "Retrain now". */
export function ClassifierAdmin() {
  const { t } = useTranslation('triage');
  const settings = useLoad(triageSettingsKey, triageApi.settings);
  const status = useLoad(['triage', 'classifier'], triageApi.classifier);
  return (
    <section className="panel" data-testid="classifier-admin" aria-labelledby="classifier-h">
      <h2 id="classifier-h">{t('classifier.title')}</h2>
      <p className="muted">{t('classifier.intro')}</p>
      {settings.data ? <SettingsForm settings={settings.data} onSaved={(s) => settings.setData(s)} />
        : settings.error ? <ErrorBanner error={settings.error} /> : <Loading />}
      {status.data ? <Models status={status.data} minExamples={settings.data?.classifier_min_examples ?? null} onTrained={() => void status.reload()} />
        : status.error ? <ErrorBanner error={status.error} /> : <Loading />}
    </section>
  );
}

function SettingsForm({ settings, onSaved }: { settings: TriageSettings; onSaved: (s: TriageSettings) => void }) {
  const { t } = useTranslation('triage');
  const { t: tc } = useTranslation('classifier');
  // The threshold is a probability on the wire and a percentage on screen.
  const [threshold, setThreshold] = useState(String(Math.round(settings.classifier_threshold * 100)));
  const [days, setDays] = useState(String(settings.repeat_window_days));
  const [minExamples, setMinExamples] = useState(String(settings.classifier_min_examples));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const pct = threshold.trim() === '' ? Number.NaN : Number(threshold);
    const d = days.trim() === '' ? Number.NaN : Number(days);
    const m = minExamples.trim() === '' ? Number.NaN : Number(minExamples);
    void run(async () => {
      // Sent as typed: an empty or non-numeric box is NaN, which JSON sends as null, and the server names that field.
      const next = await triageApi.updateSettings({ classifier_threshold: pct / 100, repeat_window_days: d, classifier_min_examples: m });
      onSaved(next);
      setSaved(true);
    });
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-labelledby="classifier-settings-h" data-testid="classifier-settings">
      <h3 id="classifier-settings-h">{t('classifier.settings')}</h3>
      <TextField label={t('classifier.threshold')} hint={t('classifier.thresholdHint')} error={fe.classifier_threshold} type="number" min={0} max={100} step={1}
        inputMode="numeric" value={threshold} onChange={setThreshold} data-testid="classifier-threshold" />
      <TextField label={tc('admin.minExamples')} hint={tc('admin.minExamplesHint')} error={fe.classifier_min_examples} type="number" min={1} step={1}
        inputMode="numeric" value={minExamples} onChange={setMinExamples} data-testid="classifier-min-examples" />
      <TextField label={t('classifier.window')} hint={t('classifier.windowHint')} error={fe.repeat_window_days} type="number" min={1} max={365} step={1}
        inputMode="numeric" value={days} onChange={setDays} data-testid="classifier-window" />
      <ErrorBanner error={bannerError(error, ['classifier_threshold', 'repeat_window_days', 'classifier_min_examples'])} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="classifier-save">{t('classifier.save')}</button>
        <span className="muted small" role="status" data-testid="classifier-saved">{saved ? t('classifier.saved') : '\u00a0'}</span>
      </div>
    </form>
  );
}

function Models({ status, minExamples, onTrained }: { status: ClassifierStatus; minExamples: number | null; onTrained: () => void }) {
  const { t } = useTranslation('triage');
  const [report, setReport] = useState<TrainingReport | null>(null);
  const { busy, error, run } = useSubmit();
  function train() {
    void run(async () => {
      setReport(await triageApi.train());
      onTrained();
    });
  }
  return (
    <section className="panel" aria-labelledby="classifier-models-h" data-testid="classifier-models">
      <h3 id="classifier-models-h">{t('classifier.models')}</h3>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th scope="col">{t('classifier.target')}</th><th scope="col">{t('classifier.examples')}</th><th scope="col">{t('classifier.trainedAt')}</th></tr></thead>
          <tbody>
            {TARGETS.map((target) => {
              const m = status[target];
              return (
                <tr key={target} data-testid={`classifier-model-${target}`}>
                  <th scope="row">{t(`panel.field.${target}`)}</th>
                  <td>{m ? m.examples : '—'}</td>
                  <td>{m ? formatDateTime(m.trained_at) : t('classifier.untrained')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {TARGETS.map((target) => <Quality key={target} target={target} evaluation={status[target]?.evaluation ?? null} minExamples={minExamples} />)}
      <p className="muted small">{t('classifier.trainHint')}</p>
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={train} data-testid="classifier-train">
          {busy ? t('classifier.training') : t('classifier.train')}
        </button>
      </div>
      <ErrorBanner error={error} />
      {report ? (
        <div role="status" className="banner banner-ok" data-testid="classifier-report">
          <p>{t('classifier.reportTitle')}</p>
          <ul className="plain">
            {TARGETS.map((target) => {
              const r = report[target];
              return (
                <li key={target} data-testid={`classifier-report-${target}`}>
                  {r.trained_at
                    ? t('classifier.reportTrained', { target: t(`panel.field.${target}`), count: r.examples, labels: r.labels.length, when: formatDateTime(r.trained_at) })
                    : t('classifier.reportKept', { target: t(`panel.field.${target}`), count: r.examples })}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

const LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
const pct = (x: number | null) => (x === null ? '—' : String(Math.round(x * 100)));

/**
 * Review item 3: how good each live model is, measured on resolved tickets it did not learn from — per label
 * (with whether it may be applied or only suggested) and per language — so an admin can judge the threshold.
 */
function Quality({ target, evaluation, minExamples }: { target: (typeof TARGETS)[number]; evaluation: ModelEvaluation | null; minExamples: number | null }) {
  const { t } = useTranslation('triage');
  const { t: tc } = useTranslation('classifier');
  const name = t(`panel.field.${target}`);
  if (!evaluation || evaluation.folds === 0) return <p className="muted" data-testid={`classifier-quality-${target}`}>{tc('admin.notMeasured', { target: name })}</p>;
  const labels = Object.keys(evaluation.per_class).sort();
  return (
    <section aria-labelledby={`classifier-quality-${target}-h`} data-testid={`classifier-quality-${target}`}>
      <h4 id={`classifier-quality-${target}-h`}>{tc('admin.quality')}: {name}</h4>
      <p className="muted small">{tc('admin.qualityIntro', { folds: evaluation.folds })}</p>
      <p data-testid={`classifier-quality-${target}-summary`}>
        {tc('admin.summary', { target: name, accuracy: pct(evaluation.accuracy), confidence: pct(evaluation.mean_confidence),
          error: evaluation.calibration_error === null ? '—' : (evaluation.calibration_error * 100).toFixed(1) })}
      </p>
      <div className="table-wrap">
        <table className="table" data-testid={`classifier-classes-${target}`}>
          <caption className="sr-only">{tc('admin.perClass', { target: name })}</caption>
          <thead><tr><th scope="col">{tc('admin.label')}</th><th scope="col">{tc('admin.examples')}</th><th scope="col">{tc('admin.accuracy')}</th><th scope="col">{tc('admin.use')}</th></tr></thead>
          <tbody>
            {labels.map((label) => {
              const c = evaluation.per_class[label];
              return (
                <tr key={label}>
                  <th scope="row">{t(`workspace:${target}.${label}`, { defaultValue: humanize(label) })}</th>
                  <td>{c?.examples ?? 0}</td>
                  <td>{c ? `${pct(c.accuracy)}${c.accuracy === null ? '' : '%'}` : '—'}</td>
                  <td>{minExamples !== null && (c?.examples ?? 0) >= minExamples ? tc('admin.applied') : tc('admin.suggestOnly')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid={`classifier-languages-${target}`}>
          <caption className="sr-only">{tc('admin.perLanguage', { target: name })}</caption>
          <thead><tr><th scope="col">{tc('admin.language')}</th><th scope="col">{tc('admin.examples')}</th><th scope="col">{tc('admin.accuracy')}</th></tr></thead>
          <tbody>
            {LANGUAGES.map((lang) => {
              const c = evaluation.per_language[lang];
              return (
                <tr key={lang}>
                  <th scope="row">{tc(`admin.lang.${lang}`)}</th>
                  <td>{c?.examples ?? 0}</td>
                  <td>{c && c.accuracy !== null ? `${pct(c.accuracy)}%` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
