import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useFocusFirstInvalid } from '../admin/forms.ts';
import { useSession } from '../../lib/session.tsx';
import { api, ApiError, REQUEST_TYPES, type ListEntry, type PublicRequestResult } from '../../lib/api.ts';
import { REQUEST_TYPE_LABELS } from '../../lib/format.ts';
import { ErrorBanner, Field, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { CommitmentsPanel, URGENCY_KEYS, useCommitments } from '../promise/commitments-panel.tsx';
import { PromiseNotice } from '../promise/promise-notice.tsx';
import { promiseLanguage } from '../promise/promise-format.ts';
import { KbSuggestions } from '../triage/kb-suggestions.tsx';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { AttachFiles, useAttachments } from '../attachments/attach-files.tsx';
import { ServiceBanner } from '../status/service-banner.tsx';

/** The signed-in customer, if any: the form does not ask them for their name and e-mail again (review item 14). */
function useSignedInContact(): { name: string; email: string } | null {
  const p = useSession().principal;
  return p && p.kind === 'contact' ? { name: p.name, email: p.email } : null;
}

type Form = { name: string; email: string; subject: string; message: string; type: string; urgency: string };
type FieldName = keyof Form;

// "urgent" is an urgency, chosen below, not a request type a customer may pick (it is staff-only).
const DEFAULT_TYPES: ListEntry[] = REQUEST_TYPES.filter((t) => t !== 'urgent').map((t) => ({ key: t, label: REQUEST_TYPE_LABELS[t] ?? t }));

const EMPTY: Form = { name: '', email: '', subject: '', message: '', type: 'technical_question', urgency: 'normal' };

function isFieldName(s: string | undefined): s is FieldName {
  return s === 'name' || s === 'email' || s === 'subject' || s === 'message' || s === 'type' || s === 'urgency';
}

export function SupportPage() {
  const { t, i18n } = useTranslation('workspace');
  const { t: c } = useTranslation('customer');
  usePageTitle(c('form.pageTitle'));
  const contact = useSignedInContact();
  const [form, setForm] = useState<Form>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const { busy, error, setError, run } = useSubmit();
  const [result, setResult] = useState<PublicRequestResult | null>(null);
  // Counts refused submits: focus moves on each one, not while the customer types and errors clear.
  const [refusals, setRefusals] = useState(0);
  const formRef = useFocusFirstInvalid<HTMLFormElement>(refusals || undefined);
  const commitments = useCommitments(false);
  const files = useAttachments();
  // The promise's words follow the page's language (the switch), not only the browser's.
  const ps = i18n.getFixedT(promiseLanguage(i18n.language), 'customer', 'promise');
  // Request types are an editable list; the customer-selectable ones come with the published commitments
  // (staff-only types such as "urgent" are left out); the built-in six are the fallback.
  const types: ListEntry[] = commitments?.types.length
    ? commitments.types.map((t) => ({ key: t.key, label: ps(`types.${t.key}`, { defaultValue: t.label }) }))
    : DEFAULT_TYPES;

  function set<K extends FieldName>(k: K, v: string) {
    setForm((f) => ({ ...f, [k]: v }));
    if (fieldErrors[k]) setFieldErrors((fe) => ({ ...fe, [k]: undefined }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFieldErrors({});
    await run(
      async () => {
        const res = await api.submitRequest({
          name: contact ? contact.name || contact.email : form.name.trim(),
          email: contact ? contact.email : form.email.trim(),
          subject: form.subject.trim(),
          message: form.message,
          type: form.type,
          urgency: URGENCY_KEYS.find((k) => k === form.urgency) ?? 'normal',
          language: navigator.language,
          time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          attachments: await files.toUpload(),
        });
        files.clear();
        setResult(res);
      },
      (err) => {
        // Every field's error at once (review 12); focus moves to the first wrong field once they render.
        const all = err instanceof ApiError ? Object.entries(err.fieldErrors()).filter((e): e is [FieldName, string] => isFieldName(e[0])) : [];
        // A refused file is named beside it, in the reader's language (review item 11).
        const fileErrors = files.showServerErrors(err);
        if (all.length) {
          setFieldErrors(Object.fromEntries(all));
          setRefusals((n) => n + 1);
        } else if (!fileErrors) setError(err);
      },
    );
  }

  if (result) {
    return (
      <main className="public-page">
        <section className="card confirmation" data-testid="request-confirmation">
          <p className="eyebrow">{c('form.received')}</p>
          <h1>{c('form.thanks')}</h1>
          <p>{c('form.numberIs')}</p>
          <p className="big-number" data-testid="ticket-number">
            {result.display_number}
          </p>
          <PromiseNotice promise={result.promise} />
          <p className="muted">
            <Trans t={c} i18nKey="form.sentConfirmation" values={{ email: contact?.email ?? form.email }} components={{ 1: <strong /> }} />
          </p>
          <p>
            <a className="button primary" href={result.follow_url} data-testid="follow-link">
              {c('form.follow')}
            </a>
          </p>
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setResult(null);
                setForm(EMPTY);
              }}
            >
              {c('form.another')}
            </button>
          </p>
        </section>
      </main>
    );
  }

  return (
    <main className="public-page">
      <section className="card">
        <div className="public-header">
          <p className="eyebrow">{c('form.eyebrow')}</p>
          <LanguageSwitch />
        </div>
        <ServiceBanner audience="customer" />
        <h1>{c('form.title')}</h1>
        <p className="muted">{c('form.intro')}</p>
        <form ref={formRef} onSubmit={submit} noValidate data-testid="support-form">
          {contact ? (
            <p className="banner" data-testid="support-signed-in">
              {t('support.signedInAs', { name: contact.name || contact.email, email: contact.email })}
            </p>
          ) : (
            <div className="grid-2">
              <TextField label={c('form.name')} error={fieldErrors.name} name="name" autoComplete="name" required value={form.name}
                onChange={(v) => set('name', v)} />
              <TextField label={c('form.email')} error={fieldErrors.email} name="email" type="email" autoComplete="email" required
                value={form.email} onChange={(v) => set('email', v)} />
            </div>
          )}
          <SelectField label={c('form.type')} error={fieldErrors.type} name="type" value={form.type} onChange={(v) => set('type', v)}>
            <Options entries={types} />
          </SelectField>
          <SelectField label={ps('urgency')} error={fieldErrors.urgency} name="urgency" value={form.urgency} onChange={(v) => set('urgency', v)}>
            <Options entries={URGENCY_KEYS.map((k) => ({ key: k, label: ps(`urgencies.${k}`) }))} />
          </SelectField>
          <TextField label={c('form.subject')} error={fieldErrors.subject} name="subject" required maxLength={250} value={form.subject}
            onChange={(v) => set('subject', v)} />
          <Field label={c('form.message')} error={fieldErrors.message}>
            {(p) => (
              <textarea {...p} name="message" required rows={7} value={form.message}
                onChange={(e) => set('message', e.target.value)} />
            )}
          </Field>
          <AttachFiles state={files} testId="form-attach" />
          <KbSuggestions text={`${form.subject} ${form.message}`} language={i18n.language.slice(0, 2)} heading={t('support.mayHelp')} testId="form-kb" />
          <ErrorBanner error={error} testId="form-error" />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy} data-testid="submit-request">
              {busy ? c('form.sending') : c('form.send')}
            </button>
          </div>
        </form>
      </section>
      <CommitmentsPanel commitments={commitments} />
      <p className="muted center small">
        {c('form.already')} <a href="/portal">{c('form.signInToFollow')}</a>. · <a href="/help">{t('support.helpLink')}</a>
      </p>
    </main>
  );
}
