import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Ticket } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from '../admin/forms.ts';
import { diagnosisFieldsKey, triageApi, triageKey, triageSettingsKey, type DiagnosisField, type Suggestion, type TicketTriage } from './triage-api.ts';

const TARGETS = ['type', 'priority'] as const;
type Target = (typeof TARGETS)[number];

/**
 * The ticket's triage in the side column: lifecycle stage, detected language, the classifier's suggestions it was
 * not sure enough to apply (one click applies one through the ticket's own PATCH), a repeat contact, and the
 * diagnosis form. Its query sits under the ticket's key, so live updates and the page's own refreshes reach it.
 */
export function TriagePanel({ ticket, onChanged }: { ticket: Ticket; onChanged: (updated: Ticket) => void }) {
  const { t } = useTranslation('triage');
  const triage = useLoad(triageKey(ticket.number), () => triageApi.ticket(ticket.number));
  const fields = useLoad(diagnosisFieldsKey, triageApi.fields);
  const settings = useLoad(triageSettingsKey, triageApi.settings);
  // Lifted out of the form: the form remounts with the new values after a save.
  const [diagnosisSaved, setDiagnosisSaved] = useState(false);
  const data = triage.data;
  return (
    <section className="panel" aria-labelledby="triage-h" data-testid="triage-panel">
      <h2 id="triage-h">{t('panel.title')}</h2>
      {!data ? (triage.error ? <ErrorBanner error={triage.error} /> : <Loading />) : (
        <>
          <dl className="facts">
            <dt>{t('panel.stage')}</dt>
            <dd><Badge tone="blue" testId="triage-stage">{t(`common:stage.${data.stage}`, { defaultValue: data.stage })}</Badge></dd>
            <dt>{t('panel.language')}</dt>
            <dd data-testid="triage-language">{data.language ? t(`language.${data.language}`, { defaultValue: data.language }) : t('panel.unknownLanguage')}</dd>
          </dl>
          {data.repeat_of ? (
            <p className="banner banner-warn" data-testid="triage-repeat">
              {t('panel.repeat')}{' '}
              <Link to={`/tickets/${data.repeat_of.number}`} data-testid="triage-repeat-link">
                {t('panel.repeatLink', { number: data.repeat_of.number, subject: data.repeat_of.subject })}
              </Link>
            </p>
          ) : null}
          <Suggestions triage={data} ticket={ticket} threshold={settings.data?.classifier_threshold ?? null} onChanged={onChanged} />
          {fields.data ? (
            <DiagnosisForm key={JSON.stringify(data.diagnosis)} ticket={ticket} fields={fields.data} diagnosis={data.diagnosis}
              saved={diagnosisSaved} setSaved={setDiagnosisSaved} onSaved={(diagnosis) => triage.setData({ ...data, diagnosis })} />
          ) : fields.error ? <ErrorBanner error={fields.error} /> : <Loading />}
        </>
      )}
    </section>
  );
}

function percent(n: number, lang: string): string {
  // Whole percent, rounded down: the classifier is never certain, so 0.996 must not read "100 %".
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(Math.floor(n * 100 + 1e-9) / 100);
}

function Suggestions({ triage, ticket, threshold, onChanged }: {
  triage: TicketTriage; ticket: Ticket; threshold: number | null; onChanged: (t: Ticket) => void;
}) {
  const { t, i18n } = useTranslation('triage');
  const { busy, error, run } = useSubmit();
  const [applied, setApplied] = useState<Target | null>(null);
  const present = TARGETS.filter((target) => triage.suggestion?.[target]);
  if (present.length === 0) return <p className="muted small" data-testid="triage-no-suggestion">{t('panel.noSuggestion')}</p>;
  const current = (target: Target) => (target === 'type' ? ticket.type : ticket.priority);
  const valueName = (target: Target, v: string) => t(`workspace:${target}.${v}`, { defaultValue: v });

  async function apply(target: Target, s: Suggestion) {
    await run(async () => {
      const updated = await api.updateTicket(ticket.number, target === 'type' ? { type: s.label } : { priority: s.label });
      setApplied(target);
      onChanged(updated);
    });
  }

  return (
    <div data-testid="triage-suggestions">
      <h3 className="small">{t('panel.suggestions')}</h3>
      {threshold === null ? null : (
        <p className="muted small">{threshold >= 1 ? t('panel.onlySuggests') : t('panel.thresholdNote', { threshold: percent(threshold, i18n.language) })}</p>
      )}
      <ul className="plain">
        {present.map((target) => {
          const s = triage.suggestion?.[target];
          if (!s) return null;
          const isApplied = current(target) === s.label;
          return (
            <li key={target} data-testid={`triage-suggestion-${target}`}>
              {t(`panel.suggest.${target}`, { value: valueName(target, s.label), confidence: percent(s.confidence, i18n.language) })}{' '}
              {isApplied ? (
                <Badge tone="green" testId={`triage-applied-${target}`}>{t('panel.applied')}</Badge>
              ) : (
                <button type="button" className="button small" disabled={busy || ticket.status === 'closed'} data-testid={`triage-apply-${target}`}
                  aria-label={t(`panel.applyOne.${target}`, { value: valueName(target, s.label) })} onClick={() => void apply(target, s)}>
                  {t('panel.apply')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorBanner error={error} />
      <p className="muted small" role="status" data-testid="triage-apply-status">
        {applied ? t('panel.appliedStatus', { field: t(`panel.field.${applied}`) }) : '\u00a0'}
      </p>
    </div>
  );
}

function DiagnosisForm({ ticket, fields, diagnosis, saved, setSaved, onSaved }: {
  ticket: Ticket; fields: DiagnosisField[]; diagnosis: Record<string, string>; saved: boolean; setSaved: (s: boolean) => void;
  onSaved: (d: Record<string, string>) => void;
}) {
  const { t } = useTranslation('triage');
  const active = fields.filter((f) => f.active);
  // A retired field stays readable on the tickets that have a value for it.
  const retired = fields.filter((f) => !f.active && diagnosis[f.key] !== undefined);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(active.map((f) => [f.key, diagnosis[f.key] ?? ''])));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const closed = ticket.status === 'closed';

  function submit(e: FormEvent) {
    e.preventDefault();
    const changes: Record<string, string | null> = {};
    for (const f of active) {
      const v = (values[f.key] ?? '').trim();
      if (v !== (diagnosis[f.key] ?? '')) changes[f.key] = v === '' ? null : v;
    }
    setSaved(false);
    void run(async () => {
      if (Object.keys(changes).length === 0) {
        setSaved(true);
        return;
      }
      const res = await triageApi.setDiagnosis(ticket.number, changes);
      setSaved(true);
      onSaved(res.diagnosis);
    });
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} aria-labelledby="diag-h" data-testid="diagnosis-form">
      <h3 id="diag-h" className="small">{t('panel.diagnosis')}</h3>
      {active.map((f) => {
        const value = values[f.key] ?? '';
        const set = (v: string) => {
          setValues((cur) => ({ ...cur, [f.key]: v }));
          setSaved(false);
        };
        return f.options.length > 0 ? (
          <SelectField key={f.key} label={f.label} error={fe[f.key]} value={value} onChange={set} disabled={closed} data-testid={`diagnosis-${f.key}`}>
            <option value="">{t('panel.notSet')}</option>
            {/* A value whose option was removed since is still shown as it is. */}
            {value && !f.options.includes(value) ? <option value={value}>{value}</option> : null}
            {f.options.map((o) => <option key={o} value={o}>{o}</option>)}
          </SelectField>
        ) : (
          <TextField key={f.key} label={f.label} error={fe[f.key]} value={value} onChange={set} disabled={closed} maxLength={500}
            hint={t('panel.clearHint')} data-testid={`diagnosis-${f.key}`} />
        );
      })}
      {retired.length ? (
        <dl className="facts" data-testid="diagnosis-retired">
          {retired.map((f) => (
            <div key={f.key}>
              <dt>{t('panel.retiredField', { label: f.label })}</dt>
              <dd>{diagnosis[f.key]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <ErrorBanner error={bannerError(error, active.map((f) => f.key))} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy || closed || active.length === 0} data-testid="diagnosis-save">{t('panel.saveDiagnosis')}</button>
        <span className="muted small" role="status" data-testid="diagnosis-status">{saved ? t('panel.diagnosisSaved') : '\u00a0'}</span>
      </div>
    </form>
  );
}
