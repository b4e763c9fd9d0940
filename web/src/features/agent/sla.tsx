import { humanize, type SlaMetric, type TicketSla } from '../../lib/api.ts';
import { formatDateTime, formatDuration, formatBusinessMinutes } from '../../lib/format.ts';
import { Badge } from '../../app/ui.tsx';

export type SlaState = {
  tone: 'none' | 'ok' | 'warn' | 'breached' | 'paused';
  text: string;
  breached: boolean;
  dueAt: string | null;
};

const WARN_FRACTION = 0.25;
const WARN_MS = 30 * 60_000;

function sameInstant(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  return Date.parse(a) === Date.parse(b);
}

/**
 * Share of the target still left for the metric due at `next_due_at` (0..1), or null when unknown.
 * Lists carry the state computed at the ticket's last change (`evaluated_at`), so the business minutes
 * remaining are aged by the wall time since then — a lower bound, so the warning never comes late.
 */
function remainingFraction(sla: TicketSla, now: number): number | null {
  const metric = Object.values(sla.metrics ?? {}).find((m) => sameInstant(m.due_at, sla.next_due_at));
  if (!metric) return null;
  const el = metric.elapsed_business_minutes;
  const rem = metric.remaining_business_minutes;
  const target = metric.target_minutes ?? (typeof el === 'number' && typeof rem === 'number' ? el + rem : null);
  if (typeof rem === 'number' && typeof target === 'number' && target > 0) {
    const evaluated = sla.evaluated_at ? Date.parse(sla.evaluated_at) : NaN;
    const aged = Number.isFinite(evaluated) && now > evaluated ? (now - evaluated) / 60_000 : 0;
    return Math.max(0, rem - aged) / target;
  }
  if (metric.started_at && metric.due_at) {
    const start = Date.parse(metric.started_at);
    const due = Date.parse(metric.due_at);
    if (due > start) return Math.max(0, due - now) / (due - start);
  }
  return null;
}

export function slaState(sla: TicketSla | null, now: number): SlaState {
  if (!sla) return { tone: 'none', text: 'No SLA', breached: false, dueAt: null };
  const due = sla.next_due_at;
  const dueMs = due ? Date.parse(due) : NaN;
  if (sla.breached || (Number.isFinite(dueMs) && dueMs <= now)) {
    const text = Number.isFinite(dueMs)
      ? dueMs <= now
        ? `overdue ${formatDuration(now - dueMs)}`
        : `next due in ${formatDuration(dueMs - now)}`
      : 'breached';
    return { tone: 'breached', text, breached: true, dueAt: due };
  }
  if (!due || !Number.isFinite(dueMs)) {
    const paused = Object.values(sla.metrics ?? {}).some((m) => m.status === 'paused');
    return { tone: paused ? 'paused' : 'none', text: paused ? 'paused' : '—', breached: false, dueAt: null };
  }
  const left = dueMs - now;
  const frac = remainingFraction(sla, now);
  const warn = left < WARN_MS || (frac !== null && frac < WARN_FRACTION);
  return { tone: warn ? 'warn' : 'ok', text: `due in ${formatDuration(left)}`, breached: false, dueAt: due };
}

export function SlaCell({ sla, now }: { sla: TicketSla | null; now: number }) {
  const s = slaState(sla, now);
  return (
    <span className={`sla sla-${s.tone}`} data-testid="sla" data-sla={s.tone}
      title={s.dueAt ? `Due ${formatDateTime(s.dueAt)}${sla?.policy_name ? ` · ${sla.policy_name}` : ''}` : undefined}>
      {s.breached ? <Badge tone="red">breached</Badge> : null}
      {s.tone === 'breached' && s.text === 'breached' ? null : <span className="sla-text">{s.text}</span>}
    </span>
  );
}

const METRIC_LABELS: Record<string, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  periodic_update: 'Periodic update',
  resolution: 'Resolution',
};

function metricTone(m: SlaMetric, now: number): string {
  if (m.breached) return 'red';
  if (m.status === 'completed' || m.status === 'achieved' || m.status === 'stopped') return 'green';
  if (m.status === 'paused') return 'muted';
  if (m.due_at && Date.parse(m.due_at) <= now) return 'red';
  const el = m.elapsed_business_minutes;
  const rem = m.remaining_business_minutes;
  if (m.due_at && Date.parse(m.due_at) - now < WARN_MS) return 'amber';
  if (typeof el === 'number' && typeof rem === 'number' && el + rem > 0 && rem / (el + rem) < WARN_FRACTION) return 'amber';
  return 'blue';
}

export function SlaPanel({ sla, now }: { sla: TicketSla | null; now: number }) {
  if (!sla) {
    return (
      <section className="panel" data-testid="sla-panel">
        <h2>SLA</h2>
        <p className="muted">No SLA policy applies to this ticket.</p>
      </section>
    );
  }
  const entries = Object.entries(sla.metrics ?? {});
  return (
    <section className="panel" data-testid="sla-panel">
      <h2>
        SLA <span className="muted small">{sla.policy_name ?? ''}</span>
      </h2>
      {entries.length === 0 ? <p className="muted">No clocks running.</p> : null}
      <ul className="sla-clocks">
        {entries.map(([name, m]) => {
          const dueMs = m.due_at ? Date.parse(m.due_at) : NaN;
          const live = Number.isFinite(dueMs) && !m.completed_at && m.status !== 'paused';
          return (
            <li key={name} data-testid={`sla-metric-${name}`} className="sla-clock">
              <div className="sla-clock-head">
                <strong>{METRIC_LABELS[name] ?? humanize(name)}</strong>
                <Badge tone={metricTone(m, now)}>{m.breached ? 'breached' : humanize(m.status)}</Badge>
              </div>
              <dl>
                <dt>Due</dt>
                <dd>{formatDateTime(m.due_at)}</dd>
                {live ? (
                  <>
                    <dt>{dueMs > now ? 'Due in' : 'Overdue by'}</dt>
                    <dd>{formatDuration(dueMs - now)}</dd>
                  </>
                ) : null}
                {typeof m.elapsed_business_minutes === 'number' ? (
                  <>
                    <dt>Elapsed</dt>
                    <dd>{formatBusinessMinutes(m.elapsed_business_minutes)} business</dd>
                  </>
                ) : null}
                {!m.completed_at && typeof m.remaining_business_minutes === 'number' ? (
                  <>
                    <dt>Remaining</dt>
                    <dd>{formatBusinessMinutes(m.remaining_business_minutes)} business</dd>
                  </>
                ) : null}
                {m.breached_at ? (
                  <>
                    <dt>Breached</dt>
                    <dd>{formatDateTime(m.breached_at)}</dd>
                  </>
                ) : null}
                {m.completed_at ? (
                  <>
                    <dt>Completed</dt>
                    <dd>{formatDateTime(m.completed_at)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
