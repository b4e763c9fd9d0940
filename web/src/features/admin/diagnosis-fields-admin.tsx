import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { diagnosisFieldsKey, triageApi, type DiagnosisField } from '../triage/triage-api.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';

/** One option per line; blank lines dropped. */
const parseOptions = (text: string): string[] => text.split('\n').map((s) => s.trim()).filter(Boolean);

/**
 * Admin → Diagnosis fields: the structured fields agents fill in during diagnosis. Add, rename, change options,
 * retire (no longer offered; values already on tickets stay) and bring back.
 */
export function DiagnosisFieldsAdmin() {
  const { t } = useTranslation('triage');
  const fields = useLoad(diagnosisFieldsKey, triageApi.fields);
  if (!fields.data) return fields.error ? <ErrorBanner error={fields.error} /> : <Loading />;
  return (
    <ListEdit<DiagnosisField> tableTestId="fields-table" testId="diagnosis-fields-admin" title={t('fields.title')} intro={<p>{t('fields.intro')}</p>} rows={fields.data} reload={fields.reload}
      rowKey={(f) => f.key} rowTestId={(f) => `field-row-${f.key}`} rowName={(f) => f.label} editAria={(f) => t('fields.editOne', { label: f.label })}
      editTestId={(f) => `field-edit-${f.key}`}
      columns={[
        { header: t('fields.label'), cell: (f) => f.label },
        { header: t('fields.key'), cell: (f) => <code>{f.key}</code> },
        { header: t('fields.options'), cell: (f) => (f.options.length ? f.options.join(', ') : <span className="muted">{t('fields.freeText')}</span>) },
        { header: t('fields.state'), cell: (f) => <Badge tone={f.active ? 'green' : 'muted'}>{t(f.active ? 'fields.active' : 'fields.retiredState')}</Badge> },
      ]}
      actions={[{
        label: (f) => t(f.active ? 'fields.retire' : 'fields.restore'),
        ariaLabel: (f) => t(f.active ? 'fields.retireOne' : 'fields.restoreOne', { label: f.label }),
        testId: (f) => `field-toggle-${f.key}`,
        run: async (f) => {
          await triageApi.updateField(f.key, { active: !f.active });
          return t(f.active ? 'fields.retired' : 'fields.restored', { label: f.label });
        },
      }]}
      // The new-field form stays open under the list: adding fields is what this screen is mostly for.
      newForm="always"
      editor={({ row, saved, cancel }) => (
        <FieldEditor field={row} onCancel={row ? cancel : undefined} onSaved={(f) => saved(t(row ? 'fields.saved' : 'fields.added', { label: f.label }))} />
      )} />
  );
}

function FieldEditor({ field, onSaved, onCancel }: { field: DiagnosisField | null; onSaved: (f: DiagnosisField) => Promise<void>; onCancel?: (() => void) | undefined }) {
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
