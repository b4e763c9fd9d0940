import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../lib/api.ts';
import { displayTimeZone, formatDateTime } from '../../lib/format.ts';
import { ErrorBanner, Field } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import type { TicketPromise } from '../promise/promise-api.ts';
import { agentApi } from './agent-api.ts';
import { isoToLocal, localToIso } from './zoned.ts';

/** The promise made to the customer: the original one (what "promises kept" measures) and the current one. */
export function PromiseTimes({ promise }: { promise: TicketPromise | null | undefined }) {
  const { t } = useTranslation('workspace');
  if (!promise) return <p className="muted small" data-testid="promise-none">{t('promise.none')}</p>;
  return (
    <dl className="promise-times" data-testid="promise-times">
      <dt>{t('promise.current')}</dt>
      <dd data-testid="promise-current">{formatDateTime(promise.promised_at)}</dd>
      <dt>{t('promise.original')}</dt>
      <dd data-testid="promise-original">{formatDateTime(promise.original_promised_at)}</dd>
      {promise.changed && promise.reason ? (
        <>
          <dt>{t('promise.reason')}</dt>
          <dd data-testid="promise-reason">{promise.reason}</dd>
        </>
      ) : null}
      {promise.kept !== null ? (
        <>
          <dt>{t('promise.kept')}</dt>
          <dd>{promise.kept ? t('promise.keptYes') : t('promise.keptNo')}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Set or extend the promise: a new time in the agent's zone, a reason, an optional message the customer gets at once. */
export function PromiseEditor({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const { t } = useTranslation('workspace');
  const zone = displayTimeZone();
  const whenId = useId();
  const [open, setOpen] = useState(false);
  const base = ticket.promise ? Math.max(Date.parse(ticket.promise.promised_at), Date.now()) : Date.now();
  const [when, setWhen] = useState(() => isoToLocal(base + 24 * 3600_000, zone));
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const iso = localToIso(when, zone);
    if (!iso) return;
    setDone(false);
    await run(async () => {
      await agentApi.changePromise(ticket.number, { promised_at: iso, reason: reason.trim(), ...(message.trim() ? { message: message.trim() } : {}) });
      setOpen(false);
      setReason('');
      setMessage('');
      setDone(true);
      onChanged();
    });
  }

  if (ticket.status === 'closed') return null;
  if (!open) {
    return (
      <>
        <button type="button" className="button" onClick={() => setOpen(true)} data-testid="promise-change">
          {ticket.promise ? t('promise.extend') : t('promise.set')}
        </button>
        {done ? <p className="muted small" role="status" data-testid="promise-changed">{t('promise.changed')}</p> : null}
      </>
    );
  }
  return (
    <form onSubmit={submit} data-testid="promise-form" aria-label={t('promise.formLabel')}>
      <div className="field">
        <label htmlFor={whenId}>{t('promise.newTime', { zone })}</label>
        <input id={whenId} type="datetime-local" required value={when} onChange={(e) => setWhen(e.target.value)} data-testid="promise-when" />
      </div>
      <Field label={t('promise.reasonLabel')}>
        {(p) => <input {...p} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="promise-reason-input" />}
      </Field>
      <Field label={t('promise.messageLabel')} hint={t('promise.messageHint')}>
        {(p) => <textarea {...p} rows={3} maxLength={5000} value={message} onChange={(e) => setMessage(e.target.value)} data-testid="promise-message" />}
      </Field>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || !reason.trim() || !when} data-testid="promise-save">{t('promise.save')}</button>
        <button type="button" className="button" onClick={() => setOpen(false)}>{t('macros.cancel')}</button>
      </div>
    </form>
  );
}
