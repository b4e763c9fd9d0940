import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useWords } from '../../i18n/i18n.ts';
import { ErrorBanner, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import type { Principal } from '../../lib/api.ts';
import { securityApi, type Enrolment } from './security-api.ts';

/** The secret as a QR code (the server draws the SVG) with the otpauth:// URI and the secret as text beside it. */
export function EnrolmentCode({ enrolment }: { enrolment: Enrolment }) {
  const { t } = useTranslation('security');
  return (
    <figure className="panel" data-testid="totp-enrolment">
      <img src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qr_svg)}`} alt={t('enrol.qrAlt')} width={180} height={180} />
      <figcaption>
        <p>{t('enrol.scan')}</p>
        <p className="small">{t('enrol.orType')} <code data-testid="totp-secret">{enrolment.secret}</code></p>
        <p className="small"><a href={enrolment.otpauth_uri} data-testid="totp-uri">{t('enrol.openApp')}</a></p>
      </figcaption>
    </figure>
  );
}

/** Ten recovery codes, shown once. */
export function RecoveryCodes({ codes }: { codes: readonly string[] }) {
  const { t } = useTranslation('security');
  return (
    <section aria-labelledby="recovery-title" data-testid="recovery-codes">
      <h2 id="recovery-title">{t('recovery.title')}</h2>
      <p>{t('recovery.keep')}</p>
      <ul className="plain-list">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
    </section>
  );
}

type Props = { challenge: string | null; enrol: boolean; onDone: (principal: Principal) => void; onCancel: () => void };

/** The sign-in's second step: a code from the app (enrolling first when the role requires it), or a recovery code. */
export function TwoFactorStep({ challenge, enrol, onDone, onCancel }: Props) {
  const { i18n } = useTranslation();
  useWords(i18n.language, 'security');
  const { t } = useTranslation('security');
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<{ list: string[]; principal: Principal } | null>(null);
  const { busy, error, run } = useSubmit();
  const start = useSubmit();

  useEffect(() => {
    if (enrol) void start.run(async () => setEnrolment(await securityApi.enrolAtSignIn(challenge)));
    // The enrolment is fetched once per challenge.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enrol, challenge]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const res = await securityApi.completeSignIn(challenge, useRecovery ? { recovery_code: value.trim() } : { code: value.replace(/\s/g, '') });
      if (res.recovery_codes?.length) setCodes({ list: res.recovery_codes, principal: res.principal });
      else onDone(res.principal);
    });
  }

  if (codes) {
    return (
      <div>
        <RecoveryCodes codes={codes.list} />
        <button type="button" className="button primary" onClick={() => onDone(codes.principal)} data-testid="recovery-continue">{t('recovery.continue')}</button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} data-testid="two-factor-form">
      <h2>{enrol ? t('step.enrolTitle') : t('step.title')}</h2>
      {enrol ? (enrolment ? <EnrolmentCode enrolment={enrolment} /> : <ErrorBanner error={start.error} />) : null}
      <p>{useRecovery ? t('step.recoveryHint') : t('step.hint')}</p>
      {useRecovery ? (
        <TextField label={t('step.recoveryCode')} name="recovery_code" autoComplete="off" required value={value} onChange={setValue} data-testid="recovery-code-input" />
      ) : (
        <TextField label={t('step.code')} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required value={value} onChange={setValue} data-testid="totp-code-input" />
      )}
      <ErrorBanner error={error} testId="two-factor-error" />
      <div className="actions">
        <button className="button primary" type="submit" disabled={busy} data-testid="two-factor-submit">{t('step.submit')}</button>
        {enrol ? null : (
          <button type="button" className="link-button" onClick={() => { setUseRecovery(!useRecovery); setValue(''); }} data-testid="two-factor-switch">
            {useRecovery ? t('step.useCode') : t('step.useRecovery')}
          </button>
        )}
        <button type="button" className="link-button" onClick={onCancel}>{t('step.cancel')}</button>
      </div>
    </form>
  );
}
