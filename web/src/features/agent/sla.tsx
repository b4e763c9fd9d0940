import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type SlaMetric, type TicketSla } from '../../lib/api.ts';
import { displayTimeZone, formatBusinessMinutes, formatDateTime, formatDuration } from '../../lib/format.ts';
import { Badge } from '../../app/ui.tsx';

export type SlaTone = 'none' | 'ok' | 'warn' | 'breached' | 'paused' | 'done';

/** The one clock a list cell shows: the next one due (or the breached one), named, with its state. */
export type SlaState = {
  tone: SlaTone;
  /** Which clock: first_response, next_response, resolution, … (null: none running). */
  metric: string | null;
  dueAt: string | null;
  /** ms until due (negative: overdue); null when not counting down. */
  leftMs: number | null;
  breached: boolean;
};

const DONE = new Set(['completed', 'achieved', 'stopped']);

/** Amber comes from the policy's own thresholds: the server's `warning` flag, or its `next_warning_at` having passed. */
function warned(m: SlaMetric, now: number): boolean {
  if (m.warning) return true;
  return !!m.next_warning_at && Date.parse(m.next_warning_at) <= now;
}

export function metricTone(m: SlaMetric, now: number): SlaTone {
  // A paused clock is paused even when it already breached (a pending ticket past its resolution target stops
  // counting): the cell says "breached, paused" instead of an overdue time that keeps growing.
  if (m.status === 'paused' && !m.completed_at) return 'paused';
  if (m.breached) return 'breached';
  if (DONE.has(m.status) || m.completed_at) return 'done';
  if (m.due_at && Date.parse(m.due_at) <= now) return 'breached';
  if (warned(m, now)) return 'warn';
  return m.due_at ? 'ok' : 'none';
}

export function slaState(sla: TicketSla | null, now: number): SlaState {
  const none: SlaState = { tone: 'none', metric: null, dueAt: null, leftMs: null, breached: false };
  if (!sla) return none;
  const entries = Object.entries(sla.metrics ?? {});
  const live = entries.filter(([, m]) => !DONE.has(m.status) && !m.completed_at);
  // A breached running clock matters most, then the next one due, then a paused one.
  const rank = (m: SlaMetric) => {
    const tone = metricTone(m, now);
    return tone === 'breached' ? 0 : tone === 'paused' ? 2 : 1;
  };
  const sorted = [...live].sort(([, a], [, b]) => rank(a) - rank(b) || (Date.parse(a.due_at ?? '') || Infinity) - (Date.parse(b.due_at ?? '') || Infinity));
  const first = sorted[0];
  if (!first) {
    const breachedDone = entries.find(([, m]) => m.breached);
    return breachedDone ? { tone: 'breached', metric: breachedDone[0], dueAt: breachedDone[1].due_at, leftMs: null, breached: true } : none;
  }
  const [name, m] = first;
  const tone = metricTone(m, now);
  const dueMs = m.due_at ? Date.parse(m.due_at) : NaN;
  return {
    tone,
    metric: name,
    dueAt: m.due_at,
    leftMs: Number.isFinite(dueMs) && tone !== 'paused' ? dueMs - now : null,
    breached: tone === 'breached' || m.breached,
  };
}

// The clock's name for people lives beside the timeline's SLA sentences, which need it too.
export { metricLabel } from '../../app/sla-event-text.ts';
import { metricLabel } from '../../app/sla-event-text.ts';

/**
 * The queue's SLA cell: which clock, and how long to go (or since when it is overdue), in wall-clock time.
 * `compact` (the dense queue): the state first ("overdue 11d 15h"), then the clock's name, so a narrow column cuts
 * the name, never the time; the whole sentence is the title.
 */
export function SlaCell({ sla, now, compact = false }: { sla: TicketSla | null; now: number; compact?: boolean }) {
  const { t } = useTranslation('workspace');
  const s = slaState(sla, now);
  const clock = s.metric ? metricLabel(t, s.metric) : '';
  let text: string;
  let state: string;
  if (s.tone === 'none') text = state = t('sla.noClock');
  else if (s.tone === 'paused') [text, state] = s.breached ? [t('sla.breachedPaused', { clock }), t('display:slaCell.breachedPaused')] : [t('sla.paused', { clock }), t('display:slaCell.paused')];
  else if (s.leftMs === null) [text, state] = [t('sla.breachedClock', { clock }), t('display:slaCell.breached')];
  else if (s.leftMs <= 0) [text, state] = [t('sla.overdue', { clock, duration: formatDuration(-s.leftMs) }), t('display:slaCell.overdue', { duration: formatDuration(-s.leftMs) })];
  else [text, state] = [t('sla.dueIn', { clock, duration: formatDuration(s.leftMs) }), t('display:slaCell.dueIn', { duration: formatDuration(s.leftMs) })];
  return (
    <span className={`sla sla-${s.tone}`} data-testid="sla" data-sla={s.tone} title={s.dueAt ? `${text} — ${t('sla.dueAtTitle', { when: formatDateTime(s.dueAt) })}` : text}>
      {compact && s.tone !== 'none' ? <><span className="sla-state">{state}</span> <span className="sla-clock-name">{clock}</span></> : text}
    </span>
  );
}

/** The zone every time on the panel is shown in (the agent's profile zone), by its IANA name. */
function ZoneNote() {
  const { t } = useTranslation('workspace');
  return <p className="muted small" data-testid="sla-zone">{t('sla.zoneNote', { zone: displayTimeZone() })}</p>;
}

/** `promise`: the promise made to the customer (original and current) and its editor, shown above the clocks. */
export function SlaPanel({ sla, now, promise }: { sla: TicketSla | null; now: number; promise?: ReactNode }) {
  const { t } = useTranslation('workspace');
  const promiseBlock = promise ? (
    <div className="sla-promise" data-testid="sla-promise">
      <h3 className="small">{t('promise.title')}</h3>
      {promise}
    </div>
  ) : null;
  if (!sla) {
    return (
      <section className="panel" data-testid="sla-panel" aria-labelledby="sla-h">
        <h2 id="sla-h">{t('sla.title')}</h2>
        {promiseBlock}
        <p className="muted">{t('sla.noPolicy')}</p>
        <ZoneNote />
      </section>
    );
  }
  const entries = Object.entries(sla.metrics ?? {});
  return (
    <section className="panel" data-testid="sla-panel" aria-labelledby="sla-h">
      <h2 id="sla-h">
        {t('sla.title')} <span className="muted small">{sla.policy_name ?? ''}</span>
      </h2>
      {promiseBlock}
      {entries.length === 0 ? <p className="muted">{t('sla.noClocks')}</p> : null}
      <ul className="sla-clocks">
        {entries.map(([name, m]) => {
          const tone = metricTone(m, now);
          const dueMs = m.due_at ? Date.parse(m.due_at) : NaN;
          const counting = Number.isFinite(dueMs) && tone !== 'done' && tone !== 'paused';
          return (
            <li key={name} data-testid={`sla-metric-${name}`} className={`sla-clock sla-${tone}`}>
              <div className="sla-clock-head">
                <strong>{metricLabel(t, name)}</strong>
                <Badge tone={tone === 'breached' ? 'red' : tone === 'warn' ? 'amber' : tone === 'done' ? 'green' : tone === 'paused' ? 'muted' : 'blue'}>
                  {t(`sla.tone.${tone}`)}
                </Badge>
              </div>
              <dl>
                <dt>{t('sla.due')}</dt>
                <dd data-testid="sla-due">{formatDateTime(m.due_at)}</dd>
                <ClockFigure m={m} tone={tone} now={now} />
                {m.breached_at ? (
                  <>
                    <dt>{t('sla.breachedAt')}</dt>
                    <dd>{formatDateTime(m.breached_at)}</dd>
                  </>
                ) : null}
                {m.completed_at ? (
                  <>
                    <dt>{t('sla.completedAt')}</dt>
                    <dd>{formatDateTime(m.completed_at)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          );
        })}
      </ul>
      <ZoneNote />
    </section>
  );
}

/**
 * One number per clock, in the clock's own time (review 2026-12-07 item 19: the panel showed a wall-clock countdown
 * and a business-hours figure side by side, and the business figure meant nothing for a wall-clock metric).
 * A calendar clock counts down live in wall time; a business clock shows the business time the server computed
 * (its working hours, paused outside them). The label says which.
 */
function ClockFigure({ m, tone, now }: { m: SlaMetric; tone: SlaTone; now: number }) {
  const { t } = useTranslation('display');
  if (m.completed_at || tone === 'done') return null;
  const calendar = m.clock === 'calendar';
  let over: boolean;
  let value: string;
  if (calendar) {
    const dueMs = m.due_at ? Date.parse(m.due_at) : NaN;
    if (!Number.isFinite(dueMs) || tone === 'paused') return null;
    over = dueMs <= now;
    value = formatDuration(dueMs - now);
  } else {
    const left = m.remaining_business_minutes;
    if (typeof left !== 'number') return null;
    over = left <= 0 || tone === 'breached';
    value = formatBusinessMinutes(Math.abs(left));
  }
  const label = t(`slaPanel.${calendar ? 'calendar' : 'business'}${over ? 'Over' : 'Left'}`);
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid="sla-figure" data-clock={calendar ? 'calendar' : 'business'}>{value}</dd>
    </>
  );
}

/**
 * The clock that matters now — the next one due, or the breached one — for the reply box (review item 31: the
 * clocks sat two screens below it). Says which clock, how long, and when it is due.
 */
export function NextDue({ sla, now, testId = 'next-due' }: { sla: TicketSla | null; now: number; testId?: string }) {
  const { t } = useTranslation('display');
  const s = slaState(sla, now);
  if (s.tone === 'none' || s.tone === 'done') return null;
  return (
    <p className={`next-due sla-${s.tone}`} data-testid={testId} data-sla={s.tone}>
      <span className="muted">{t('slaPanel.nextDue')}</span> <SlaCell sla={sla} now={now} />
      {s.dueAt ? <span className="muted small"> · {t('slaPanel.dueAt', { when: formatDateTime(s.dueAt) })}</span> : null}
    </p>
  );
}
