import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, type Ticket } from '../../lib/api.ts';
import { displayTimeZone, formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, statusTone } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { agentApi, type SnoozeState } from './agent-api.ts';
import { isoToLocal, localToIso } from './zoned.ts';
import { otherRequesters, RequesterWarning } from './merge-warning.tsx';

/** Snooze, merge, related tickets and time spent: the agent's tools on one ticket. */
export function TicketTools({ ticket, onChanged }: { ticket: Ticket & SnoozeState; onChanged: (t?: Ticket) => void }) {
  const { t } = useTranslation('workspace');
  return (
    <section className="panel" aria-labelledby="tools-h" data-testid="ticket-tools">
      <h2 id="tools-h">{t('tools.title')}</h2>
      {ticket.status !== 'closed' ? <Snooze ticket={ticket} onChanged={onChanged} /> : null}
      <TimeSpent ticket={ticket} />
      <Links ticket={ticket} />
      {ticket.status !== 'closed' ? <Merge ticket={ticket} /> : null}
    </section>
  );
}

function Snooze({ ticket, onChanged }: { ticket: Ticket & SnoozeState; onChanged: (t?: Ticket) => void }) {
  const { t } = useTranslation('workspace');
  const zone = displayTimeZone();
  const whenId = useId();
  const [when, setWhen] = useState(() => isoToLocal(Date.now() + 24 * 3600_000, zone));
  const [untilReply, setUntilReply] = useState(true);
  const { busy, error, run } = useSubmit();
  const snoozed = !!ticket.snoozed_until || !!ticket.snooze_until_reply;

  async function snooze(e: FormEvent) {
    e.preventDefault();
    const until = when ? localToIso(when, zone) : null;
    await run(async () => onChanged(await agentApi.snooze(ticket.number, { ...(until ? { until } : {}), until_reply: untilReply })));
  }

  return (
    <div className="tool" data-testid="tool-snooze">
      <h3 className="small">{t('tools.snooze.title')}</h3>
      {snoozed ? (
        <p data-testid="snooze-state">
          {ticket.snoozed_until
            ? ticket.snooze_until_reply
              ? t('tools.snooze.untilBoth', { when: formatDateTime(ticket.snoozed_until) })
              : t('tools.snooze.until', { when: formatDateTime(ticket.snoozed_until) })
            : t('tools.snooze.untilReply')}{' '}
          <button type="button" className="button small-button" disabled={busy} data-testid="unsnooze"
            onClick={() => void run(async () => onChanged(await agentApi.unsnooze(ticket.number)))}>
            {t('tools.snooze.wake')}
          </button>
        </p>
      ) : (
        <form onSubmit={snooze}>
          <div className="field">
            <label htmlFor={whenId}>{t('tools.snooze.when', { zone })}</label>
            <input id={whenId} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} data-testid="snooze-when" />
          </div>
          <label className="inline">
            <input type="checkbox" checked={untilReply} onChange={(e) => setUntilReply(e.target.checked)} data-testid="snooze-until-reply" />{' '}
            {t('tools.snooze.orReply')}
          </label>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || (!when && !untilReply)} data-testid="snooze-submit">{t('tools.snooze.submit')}</button>
          </div>
        </form>
      )}
      <ErrorBanner error={error} />
    </div>
  );
}

function Merge({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('workspace');
  const navigate = useNavigate();
  const [into, setInto] = useState('');
  // The survivor, looked up before the dialog opens so it can name a different requester.
  const [survivorTicket, setSurvivorTicket] = useState<Ticket | null>(null);
  const confirming = survivorTicket !== null;
  const setConfirming = (open: boolean) => { if (!open) setSurvivorTicket(null); };
  const { busy, error, run } = useSubmit();
  const target = into.trim().replace(/^#/, '');
  const others = survivorTicket ? otherRequesters([ticket], survivorTicket) : [];

  async function merge() {
    const differ = others.length > 0;
    setConfirming(false);
    await run(async () => {
      const survivor = await agentApi.merge(ticket.number, target, differ);
      void navigate(`/tickets/${survivor.number}`);
    });
  }

  return (
    <div className="tool" data-testid="tool-merge">
      <h3 className="small">{t('tools.merge.title')}</h3>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (target) void run(async () => setSurvivorTicket(await api.ticket(target)));
      }}>
        <Field label={t('tools.merge.into')} hint={t('tools.merge.hint')}>
          {(p) => <input {...p} inputMode="numeric" value={into} onChange={(e) => setInto(e.target.value)} data-testid="merge-into" />}
        </Field>
        <button type="submit" className="button" disabled={busy || !target} data-testid="merge-submit">{t('tools.merge.submit')}</button>
      </form>
      <ErrorBanner error={error} />
      <ConfirmDialog open={confirming} title={t('tools.merge.confirmTitle')} confirmLabel={others.length > 0 ? t('merge:warning.confirm') : t('tools.merge.confirm')}
        onConfirm={() => void merge()} onCancel={() => setConfirming(false)}>
        <p>{t('tools.merge.confirmText', { from: ticket.display_number, into: target })}</p>
        {survivorTicket ? <RequesterWarning others={others} survivor={survivorTicket} /> : null}
      </ConfirmDialog>
    </div>
  );
}

function Links({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('workspace');
  const links = useLoad(['tickets', 'links', ticket.number], () => agentApi.links(ticket.number));
  const [other, setOther] = useState('');
  const { busy, error, run } = useSubmit();
  const target = other.trim().replace(/^#/, '');
  async function add(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      links.setData(await agentApi.link(ticket.number, target));
      setOther('');
    });
  }
  const rows = links.data?.data ?? [];
  return (
    <div className="tool" data-testid="tool-links">
      <h3 className="small">{t('tools.links.title')}</h3>
      {rows.length === 0 ? <p className="muted small">{t('tools.links.none')}</p> : (
        <ul className="related" data-testid="linked-tickets">
          {rows.map((l) => (
            <li key={l.id}>
              <Link to={`/tickets/${l.number}`}>#{l.number} {l.subject}</Link>{' '}
              <Badge tone={statusTone(l.status)}>{t(`status.${l.status}`, { defaultValue: l.status })}</Badge>{' '}
              <button type="button" className="link-button small" disabled={busy} aria-label={t('tools.links.removeOne', { number: l.number })}
                onClick={() => void run(async () => {
                  await agentApi.unlink(ticket.number, String(l.number));
                  await links.reload();
                })}>
                {t('tools.links.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add}>
        <Field label={t('tools.links.add')}>
          {(p) => <input {...p} inputMode="numeric" value={other} onChange={(e) => setOther(e.target.value)} data-testid="link-ticket" />}
        </Field>
        <button type="submit" className="button" disabled={busy || !target} data-testid="link-submit">{t('tools.links.submit')}</button>
      </form>
      <ErrorBanner error={error ?? links.error} />
    </div>
  );
}

function TimeSpent({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('workspace');
  const time = useLoad(['tickets', 'time', ticket.number], () => agentApi.time(ticket.number));
  const [minutes, setMinutes] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useSubmit();
  const n = Number(minutes);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1440;
  async function add(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await agentApi.addTime(ticket.number, n, note.trim());
      setMinutes('');
      setNote('');
      await time.reload();
    });
  }
  const total = time.data?.total_minutes ?? 0;
  return (
    <div className="tool" data-testid="tool-time">
      <h3 className="small">{t('tools.time.title')}</h3>
      <p data-testid="time-total">{t('tools.time.total', { hours: Math.floor(total / 60), minutes: total % 60 })}</p>
      {time.data?.data.length ? (
        <ul className="time-entries small">
          {time.data.data.map((e) => (
            <li key={e.id}>{t('tools.time.entry', { name: e.user_name, minutes: e.minutes })}{e.note ? ` — ${e.note}` : ''} <span className="muted">{formatDateTime(e.created_at)}</span></li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={add} className="time-form">
        <Field label={t('tools.time.minutes')}>
          {(p) => <input {...p} type="number" min={1} max={1440} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} data-testid="time-minutes" />}
        </Field>
        <Field label={t('tools.time.note')}>
          {(p) => <input {...p} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="time-note" />}
        </Field>
        <button type="submit" className="button" disabled={busy || !valid} data-testid="time-submit">{t('tools.time.submit')}</button>
      </form>
      <ErrorBanner error={error ?? time.error} />
    </div>
  );
}
