import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useWords } from '../../i18n/i18n.ts';
import { ErrorBanner, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { securityApi, type Enrolment } from './security-api.ts';
import { EnrolmentCode, RecoveryCodes } from './two-factor-step.tsx';

/** The profile's two-factor section: on or off, enrol with a QR code and a confirming code, the recovery codes once. */
export function TwoFactorPanel() {
  const { i18n } = useTranslation();
  useWords(i18n.language, 'security');
  const { t } = useTranslation('security');
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['me', 'two-factor'], queryFn: securityApi.status });
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, error, run } = useSubmit();

  function confirm(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const res = await securityApi.confirmEnrolment(code.replace(/\s/g, ''));
      setCodes(res.recovery_codes);
      setEnrolment(null);
      await queryClient.invalidateQueries({ queryKey: ['me', 'two-factor'] });
    });
  }

  return (
    <section className="panel" aria-labelledby="two-factor-title" data-testid="two-factor-panel">
      <h2 id="two-factor-title">{t('profile.title')}</h2>
      {status.data ? (
        <p data-testid="two-factor-state">
          {status.data.enabled ? t('profile.on', { count: status.data.recovery_codes_left }) : t('profile.off')}
          {status.data.required && !status.data.enabled ? ` ${t('profile.required')}` : ''}
        </p>
      ) : <ErrorBanner error={status.error} />}
      {codes ? <RecoveryCodes codes={codes} /> : null}
      {status.data && !status.data.enabled && !enrolment ? (
        <button type="button" className="button" disabled={busy} data-testid="two-factor-enrol"
          onClick={() => void run(async () => setEnrolment(await securityApi.startEnrolment()))}>
          {t('profile.enrol')}
        </button>
      ) : null}
      {enrolment ? (
        <form onSubmit={confirm} data-testid="two-factor-confirm-form">
          <EnrolmentCode enrolment={enrolment} />
          <TextField label={t('step.code')} name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={setCode} data-testid="two-factor-confirm-code" />
          <button type="submit" className="button primary" disabled={busy} data-testid="two-factor-confirm">{t('profile.confirm')}</button>
        </form>
      ) : null}
      <ErrorBanner error={error} testId="two-factor-panel-error" />
    </section>
  );
}
