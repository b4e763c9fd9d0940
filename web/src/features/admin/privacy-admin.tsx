import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { api, type Contact } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { downloadJson, privacyApi, type RetentionDryRun, type RetentionRule } from './privacy-api.ts';

/**
 * A contact's personal-data actions (admins; docs/security.md "Personal data"): Export downloads everything
 * held about the person as JSON; Erase asks first, then replaces their name, address, words and files.
 */
export function ContactPrivacyActions({ contact, onErased }: { contact: Contact; onErased: (message: string) => void }) {
  const { t } = useTranslation('privacy');
  const who = contact.email ?? contact.name;
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  return (
    <>
      <button type="button" className="button small" disabled={busy} data-testid={`export-contact-${contact.id}`} aria-label={t('exportOne', { who })}
        onClick={() => void run(async () => {
          downloadJson(await privacyApi.exportContact(contact.id), `contact-${contact.id}.json`);
          setDone(t('exported', { who }));
        })}>{t('export')}</button>{' '}
      <button type="button" className="button small danger" disabled={busy} data-testid={`erase-contact-${contact.id}`} aria-label={t('eraseOne', { who })}
        onClick={() => setAsking(true)}>{t('erase')}</button>
      <ConfirmDialog open={asking} title={t('eraseTitle', { who })} confirmLabel={t('eraseConfirm')}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          void run(async () => {
            const r = await privacyApi.eraseContact(contact.id);
            // The row may leave the list (its name and address are gone): the screen says what happened.
            onErased(r.already_erased ? t('alreadyErased') : t('erased', { count: r.counts.messages ?? 0 }));
          });
        }}>
        <p>{t('eraseExplain')}</p>
      </ConfirmDialog>
      <span role="status" className="muted small" data-testid="export-status">{done}</span>
      <ErrorBanner error={error} />
    </>
  );
}

const toMonths = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/** Admin → Retention: closed tickets anonymised N months after closing, globally or per ticket type, with a dry run. */
export function RetentionAdmin() {
  const [dry, setDry] = useState<RetentionDryRun | null>(null);
  const data = useLoad(['admin', 'retention'], async () => {
    const [rule, lists] = await Promise.all([privacyApi.retention(), api.lists()]);
    return { rule, types: lists.types };
  });
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  return <RetentionForm key={JSON.stringify(data.data.rule)} rule={data.data.rule} types={data.data.types} dry={dry} setDry={setDry} onSaved={() => void data.reload()} />;
}

// The dry run's answer lives above the form: a save reloads the rule, which remounts the form.
function RetentionForm({ rule, types, dry, setDry, onSaved }: {
  rule: RetentionRule; types: { key: string; label: string }[]; dry: RetentionDryRun | null; setDry: (d: RetentionDryRun) => void; onSaved: () => void;
}) {
  const { t } = useTranslation('privacy');
  const [enabled, setEnabled] = useState(rule.enabled);
  const [months, setMonths] = useState(rule.months === null ? '' : String(rule.months));
  const [perType, setPerType] = useState<Record<string, string>>(Object.fromEntries(types.map((x) => [x.key, rule.per_type[x.key] === undefined ? '' : String(rule.per_type[x.key])])));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const per: Record<string, number> = {};
      for (const [k, v] of Object.entries(perType)) {
        const n = toMonths(v);
        if (n !== null) per[k] = n;
      }
      await privacyApi.updateRetention({ enabled, months: toMonths(months), per_type: per });
      setDry(await privacyApi.retentionDryRun());
      onSaved();
    });
  };
  const title = t('retention.title');
  return (
    <section className="panel">
      <h2>{title}</h2>
      <p className="muted">{t('retention.explain')}</p>
      <form ref={formRef} noValidate onSubmit={submit} aria-label={title} data-testid="retention-form">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="retention-enabled" />
          {t('retention.enabled')}
        </label>
        <TextField label={t('retention.months')} hint={t('retention.monthsHint')} error={fe.months} type="number" min={1} inputMode="numeric"
          value={months} onChange={setMonths} data-testid="retention-months" />
        <fieldset className="field">
          <legend>{t('retention.perType')}</legend>
          {types.map((x) => (
            <TextField key={x.key} label={x.label} error={fe[`per_type.${x.key}`]} type="number" min={1} inputMode="numeric"
              value={perType[x.key] ?? ''} onChange={(v) => setPerType((p) => ({ ...p, [x.key]: v }))} data-testid={`retention-type-${x.key}`} />
          ))}
        </fieldset>
        <ErrorBanner error={bannerError(error, ['months', ...types.map((x) => `per_type.${x.key}`)])} />
        <div className="actions">
          <button type="button" className="button" disabled={busy} data-testid="retention-dry-run"
            onClick={() => void run(async () => setDry(await privacyApi.retentionDryRun()))}>{t('retention.dryRun')}</button>
          <button type="submit" className="button primary" disabled={busy} data-testid="retention-save">{t('save')}</button>
        </div>
      </form>
      <p role="status" data-testid="retention-due">
        {dry ? t(dry.enabled ? 'retention.due' : 'retention.dueOff', { count: dry.due }) : null}
      </p>
    </section>
  );
}
