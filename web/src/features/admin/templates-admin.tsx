import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { formatDateTime } from '../../lib/format.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { MAIL_LANGUAGES, settingsApi, type MailTemplate, type TemplatePreview } from './settings-api.ts';

const idOf = (m: Pick<MailTemplate, 'key' | 'language'>) => `${m.key}/${m.language}`;

/**
 * Admin → Mail templates: every customer mail (key) in each language, the default or the admin's version.
 * The editor previews the text through the server's renderer for an example request, and the server's
 * placeholder errors (preview or save) stand beside the field they are in.
 */
export function TemplatesAdmin() {
  const { t } = useTranslation('admin2');
  const data = useLoad(['admin', 'mail-templates'], settingsApi.templates);
  const [language, setLanguage] = useState('');
  const [key, setKey] = useState('');
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const rows = data.data.filter((m) => (!language || m.language === language) && (!key || m.key === key));
  const name = (m: MailTemplate) => `${t(`tpl.key.${m.key}`)} (${m.language})`;
  return (
    <ListEdit<MailTemplate> testId="templates-admin" title={t('tpl.title')} intro={<p>{t('tpl.intro')}</p>} rows={rows} reload={data.reload}
      rowKey={idOf} rowTestId={(m) => `template-row-${idOf(m)}`} rowName={name} newForm="none"
      toolbar={(
        <div className="inline-form" data-testid="templates-filters">
          <SelectField label={t('tpl.mail')} value={key} onChange={setKey}>
            <option value="">{t('tpl.allMails')}</option>
            {[...new Set(data.data.map((m) => m.key))].map((k) => <option key={k} value={k}>{t(`tpl.key.${k}`, { defaultValue: k })}</option>)}
          </SelectField>
          <SelectField label={t('tpl.language')} value={language} onChange={setLanguage}>
            <option value="">{t('tpl.allLanguages')}</option>
            {MAIL_LANGUAGES.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
          </SelectField>
        </div>
      )}
      columns={[
        { header: t('tpl.mail'), cell: (m) => t(`tpl.key.${m.key}`), rowHeader: true },
        { header: t('tpl.language'), cell: (m) => t(`lang.${m.language}`) },
        { header: t('tpl.subject'), cell: (m) => <span lang={m.language}>{m.subject}</span> },
        { header: t('tpl.state'), cell: (m) => (m.customized
          ? <Badge tone="blue">{t('tpl.customized', { at: formatDateTime(m.updated_at) })}</Badge>
          : <Badge tone="muted">{t('tpl.default')}</Badge>) },
      ]}
      editTestId={(m) => `template-edit-${idOf(m)}`}
      editor={({ row, saved, cancel }) => (row ? <TemplateEditor template={row} onCancel={cancel} onSaved={(m, reset) => saved(t(reset ? 'tpl.wasReset' : 'tpl.saved', { name: name(m) }))} /> : null)} />
  );
}

function TemplateEditor({ template, onSaved, onCancel }: { template: MailTemplate; onSaved: (m: MailTemplate, reset: boolean) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const save = useSubmit();
  const previewing = useSubmit();
  // The last of the two answers decides what stands beside the fields.
  const [lastError, setLastError] = useState<'save' | 'preview'>('save');
  const error = lastError === 'save' ? save.error : previewing.error;
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const heading = t('tpl.editOne', { name: `${t(`tpl.key.${template.key}`)} (${template.language})` });

  function showPreview() {
    setLastError('preview');
    void previewing.run(async () => setPreview(await settingsApi.previewTemplate(template.key, template.language, { subject, body })));
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    setLastError('save');
    void save.run(async () => onSaved(await settingsApi.saveTemplate(template.key, template.language, { subject, body }), false));
  }
  function reset() {
    setLastError('save');
    void save.run(async () => onSaved(await settingsApi.resetTemplate(template.key, template.language), true));
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={heading} data-testid="template-editor">
      <h3>{heading}</h3>
      <p className="muted small">{t('tpl.placeholdersHint', { example: '{{requester.name}}, {{promise.local}}', section: '{{#kb.suggestions}}…{{/kb.suggestions}}' })}</p>
      <TextField label={t('tpl.subject')} error={fe.subject} value={subject} onChange={setSubject} lang={template.language} data-testid="template-subject" />
      <Field label={t('tpl.body')} error={fe.body}>
        {(p) => <textarea {...p} rows={12} lang={template.language} value={body} onChange={(e) => setBody(e.target.value)} data-testid="template-body" />}
      </Field>
      <ErrorBanner error={bannerError(error, ['subject', 'body'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('list.cancel')}</button>
        {template.customized ? <button type="button" className="button" disabled={save.busy} onClick={reset} data-testid="template-reset">{t('tpl.reset')}</button> : null}
        <button type="button" className="button" disabled={previewing.busy} onClick={showPreview} data-testid="template-preview">{t('tpl.preview')}</button>
        <button type="submit" className="button primary" disabled={save.busy} data-testid="template-save">{t('list.save')}</button>
      </div>
      {preview && lastError === 'preview' && !previewing.error ? (
        <section className="panel" aria-label={t('tpl.previewTitle')} data-testid="template-preview-result">
          <h4>{t('tpl.previewTitle')}</h4>
          <p className="muted small">{t('tpl.previewNote')}</p>
          <p><strong>{t('tpl.subject')}:</strong> <span lang={template.language} data-testid="template-preview-subject">{preview.subject}</span></p>
          <pre className="mail-preview" lang={template.language} data-testid="template-preview-body" style={{ whiteSpace: 'pre-wrap' }}>{preview.body}</pre>
        </section>
      ) : null}
    </form>
  );
}
