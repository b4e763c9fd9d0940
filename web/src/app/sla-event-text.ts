import { humanize } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';

type Translate = (key: string, opts?: Record<string, unknown>) => string;

const BUILT_IN_METRICS = new Set(['first_response', 'next_response', 'periodic_update', 'resolution']);

/**
 * A clock's name for people: the four built-in metrics by their label; a policy's stage deadline
 * (`stage_<stage>`) as "Stage deadline: <stage>"; any other policy-defined metric humanized, never a raw key.
 */
export function metricLabel(t: Translate, name: string): string {
  if (BUILT_IN_METRICS.has(name)) return t(`workspace:sla.metric.${name}`);
  const stage = /^stage_(.+)$/.exec(name)?.[1];
  if (stage) return t('workspace:sla.stageMetric', { stage: t(`common:stage.${stage}`, { defaultValue: humanize(stage) }) });
  return humanize(name);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The SLA monitor's timeline entries as sentences (review 2026-12-07 item 17: they read "SLA breached · Key: Breach;
 * Due: 2026-11-27T23:47:03.650Z; Planned at: …"): "First response breached — was due Mon 7 Dec, 14:30 GMT+2".
 * The monitor's own bookkeeping (action key, planned instant) is left out. Null for any other event.
 * `formatTime` is the display module's, a parameter so unit checks can pass a fixed locale and zone.
 */
export function slaEventText(t: Translate, kind: string, after: unknown, formatTime: (iso: string) => string = formatDateTime): string | null {
  if (!['sla_warning', 'sla_breach', 'sla_escalation', 'pending_reminder'].includes(kind) || !isRecord(after)) return null;
  const metric = typeof after.metric === 'string' ? metricLabel(t, after.metric) : t('display:sla.someClock');
  const due = typeof after.due_at === 'string' && after.due_at ? formatTime(after.due_at) : null;
  if (kind === 'pending_reminder') {
    return t('display:sla.reminder', { n: typeof after.ordinal === 'number' ? after.ordinal : 1 });
  }
  if (kind === 'sla_warning') return due ? t('display:sla.warning', { metric, due }) : t('display:sla.warningNoDue', { metric });
  if (kind === 'sla_breach') return due ? t('display:sla.breach', { metric, due }) : t('display:sla.breachNoDue', { metric });
  const action = typeof after.action === 'string' ? t(`display:sla.action.${after.action}`, { defaultValue: humanize(after.action) }) : '';
  const level = typeof after.level === 'number' ? after.level : 1;
  return due ? t('display:sla.escalation', { metric, level, action, due }) : t('display:sla.escalationNoDue', { metric, level, action });
}
