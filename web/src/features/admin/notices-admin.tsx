import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { ErrorBanner, Loading, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { settingsApi, type LifecycleSettings, type NoticeKind } from './settings-api.ts';

const NOTICES: NoticeKind[] = ['work_started', 'waiting_on_you', 'promise_about_to_pass', 'closure_request'];
const NUMBERS = ['solved_close_after_hours', 'archive_after_days', 'promise_warning_minutes', 'promise_auto_extensions', 'closure_link_days'] as const;
type NumberField = (typeof NUMBERS)[number];
const numbersOf = (s: LifecycleSettings) => Object.fromEntries(NUMBERS.map((k) => [k, String(s[k])])) as Record<NumberField, string>;

/**
 * Admin → Customer notices: which progress mails customers get (each a template per language, see Mail
 * templates) and the lifecycle timings behind them. One settings object, not a list: a form, saved at once.
 * Supervisors see it; only admins change it (the API refuses them too).
 */
export function NoticesAdmin() {
  const { t } = useTranslation('admin2');
  const data = useLoad(['admin', 'lifecycle-settings'], settingsApi.lifecycle);
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  return <NoticesForm settings={data.data} saved={data.setData} title={t('notices.title')} />;
}

function NoticesForm({ settings, saved, title }: { settings: LifecycleSettings; saved: (s: LifecycleSettings) => void; title: string }) {
  const { t } = useTranslation('admin2');
  const isAdmin = useSession().principal?.role === 'admin';
  const [notices, setNotices] = useState(settings.notices);
  const [numbers, setNumbers] = useState<Record<NumberField, string>>(() => numbersOf(settings));
  const [status, setStatus] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    // A box that is not a whole number goes as typed (NaN is sent as null), so the API names that field.
    const patch = Object.fromEntries(NUMBERS.map((k) => [k, numbers[k].trim() === '' ? null : Number(numbers[k])]));
    void run(async () => {
      // The form shows what the server stored (the same form stays mounted, so the status line stays too).
      const stored = await settingsApi.saveLifecycle({ ...patch, notices } as Parameters<typeof settingsApi.saveLifecycle>[0]);
      saved(stored);
      setNotices(stored.notices);
      setNumbers(numbersOf(stored));
      setStatus(t('notices.saved'));
    });
  }
  return (
    <section className="panel" data-testid="notices-admin" aria-labelledby="notices-h">
      <h2 id="notices-h">{title}</h2>
      <p className="muted">{t('notices.intro')}</p>
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      {!isAdmin ? <p className="muted small" data-testid="notices-readonly">{t('notices.adminsOnly')}</p> : null}
      <form ref={formRef} noValidate onSubmit={submit} aria-label={title}>
        <fieldset className="field" disabled={!isAdmin}>
          <legend>{t('notices.which')}</legend>
          {NOTICES.map((k) => (
            <label key={k} className="check" data-testid={`notice-${k}`}>
              <input type="checkbox" checked={notices[k]} onChange={(e) => setNotices((n) => ({ ...n, [k]: e.target.checked }))} />
              {t(`notices.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="field" disabled={!isAdmin}>
          <legend>{t('notices.timings')}</legend>
          {NUMBERS.map((k) => (
            <TextField key={k} type="number" inputMode="numeric" label={t(`notices.field.${k}`)} hint={t(`notices.hint.${k}`)} error={fe[k]}
              value={numbers[k]} onChange={(v) => setNumbers((n) => ({ ...n, [k]: v }))} data-testid={`notices-${k}`} />
          ))}
        </fieldset>
        <ErrorBanner error={bannerError(error, [...NUMBERS, ...NOTICES])} />
        {isAdmin ? <div className="actions"><button type="submit" className="button primary" disabled={busy} data-testid="notices-save">{t('list.save')}</button></div> : null}
      </form>
    </section>
  );
}
