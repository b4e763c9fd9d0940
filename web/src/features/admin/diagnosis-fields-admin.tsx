import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { diagnosisFieldsKey, triageApi, type DiagnosisField } from '../triage/triage-api.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';

/** One option per line; blank lines dropped. */
const parseOptions = (text: string): string[] => text.split('\n').map((s) => s.trim()).filter(Boolean);

/**
 * Admin → Diagnosis fields: the structured fields agents fill in during diagnosis. Add, rename, change options,
 * retire (no longer offered; values already on tickets stay) and bring back.
 */
export function DiagnosisFieldsAdmin() {
  const { t } = useTranslation('triage');
  const fields = useLoad(diagnosisFieldsKey, triageApi.fields);
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const toggling = useSubmit();
  if (!fields.data) return fields.error ? <ErrorBanner error={fields.error} /> : <Loading />;

  async function changed(message: string) {
    setStatus(message);
    setEditing(null);
    await fields.reload();
  }
  function toggle(f: DiagnosisField) {
    setStatus(null);
    void toggling.run(async () => {
      await triageApi.updateField(f.key, { active: !f.active });
      await changed(t(f.active ? 'fields.retired' : 'fields.restored', { label: f.label }));
    });
  }
  return (
    <section className="panel" data-testid="diagnosis-fields-admin" aria-labelledby="fields-h">
      <h2 id="fields-h">{t('fields.title')}</h2>
      <p className="muted">{t('fields.intro')}</p>
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <ErrorBanner error={toggling.error} />
      <div className="table-wrap">
        <table className="table" data-testid="fields-table">
          <caption className="sr-only">{t('fields.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.label')}</th><th scope="col">{t('fields.key')}</th><th scope="col">{t('fields.options')}</th>
              <th scope="col">{t('fields.state')}</th><th scope="col"><span className="sr-only">{t('fields.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {fields.data.map((f) => (
              <tr key={f.key} data-testid={`field-row-${f.key}`}>
                <td>{f.label}</td>
                <td><code>{f.key}</code></td>
                <td>{f.options.length ? f.options.join(', ') : <span className="muted">{t('fields.freeText')}</span>}</td>
                <td><Badge tone={f.active ? 'green' : 'muted'}>{t(f.active ? 'fields.active' : 'fields.retiredState')}</Badge></td>
                <td className="right nowrap">
                  <button type="button" className="button small" aria-label={t('fields.editOne', { label: f.label })} data-testid={`field-edit-${f.key}`}
                    onClick={() => { setStatus(null); setEditing(f.key); }}>{t('fields.edit')}</button>{' '}
                  <button type="button" className="button small" disabled={toggling.busy} data-testid={`field-toggle-${f.key}`}
                    aria-label={t(f.active ? 'fields.retireOne' : 'fields.restoreOne', { label: f.label })} onClick={() => toggle(f)}>
                    {t(f.active ? 'fields.retire' : 'fields.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? (
        <FieldEditor key={editing} field={fields.data.find((f) => f.key === editing) ?? null} onCancel={() => setEditing(null)}
          onSaved={(f) => changed(t('fields.saved', { label: f.label }))} />
      ) : null}
      <FieldEditor key="new" field={null} onSaved={(f) => changed(t('fields.added', { label: f.label }))} />
    </section>
  );
}

function FieldEditor({ field, onSaved, onCancel }: { field: DiagnosisField | null; onSaved: (f: DiagnosisField) => Promise<void>; onCancel?: () => void }) {
  const { t } = useTranslation('triage');
  const [key, setKey] = useState(field?.key ?? '');
  const [label, setLabel] = useState(field?.label ?? '');
  const [options, setOptions] = useState((field?.options ?? []).join('\n'));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  // Per-option errors (options[2]) are shown on the options box.
  const optionsError = fe.options ?? Object.entries(fe).find(([k]) => k.startsWith('options'))?.[1];
  const heading = field ? t('fields.editOne', { label: field.label }) : t('fields.new');
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const saved = field
        ? await triageApi.updateField(field.key, { label: label.trim(), options: parseOptions(options) })
        : await triageApi.addField({ key: key.trim(), label: label.trim(), options: parseOptions(options) });
      if (!field) {
        setKey('');
        setLabel('');
        setOptions('');
      }
      await onSaved(saved);
    });
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={heading} data-testid={field ? 'field-editor' : 'field-new'}>
      <h3>{heading}</h3>
      {field ? null : <TextField label={t('fields.key')} hint={t('fields.keyHint')} error={fe.key} value={key} onChange={setKey} data-testid="field-key" />}
      <TextField label={t('fields.label')} error={fe.label} value={label} onChange={setLabel} data-testid="field-label" />
      <Field label={t('fields.options')} hint={t('fields.optionsHint')} error={optionsError}>
        {(p) => <textarea {...p} rows={4} value={options} onChange={(e) => setOptions(e.target.value)} data-testid="field-options" />}
      </Field>
      <ErrorBanner error={bannerError(error, ['key', 'label', 'options', ...Object.keys(fe).filter((k) => k.startsWith('options'))])} />
      <div className="actions">
        {onCancel ? <button type="button" className="button" onClick={onCancel}>{t('fields.cancel')}</button> : null}
        <button type="submit" className="button primary" disabled={busy} data-testid={field ? 'field-save' : 'field-add'}>{field ? t('fields.save') : t('fields.add')}</button>
      </div>
    </form>
  );
}
