import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api, TICKET_PRIORITIES, TICKET_STATUSES, type ListEntry, type SlaCalendar } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { useFocusFirstInvalid } from './forms.ts';
import { errorAt, slaApi, type Escalation, type MetricEventKind, type PolicyBody, type PolicyMetricBody, type StoredPolicy } from './sla-api.ts';
import { SlaSimulator, TargetText, type SimPolicy } from './sla-simulator.tsx';

export const BUILT_IN = ['first_response', 'next_response', 'periodic_update', 'resolution'] as const;
const CONDITION_FIELDS = ['type', 'priority', 'tier', 'organization_id', 'channel', 'group_id', 'tags', 'urgency'] as const;
const ESCALATION_ACTIONS = ['notify_assignee', 'notify_supervisor_raise_priority', 'reassign_to_group_queue', 'notify_admin'] as const;
const EVENT_KINDS = ['created', 'customer_message', 'agent_message', ...TICKET_STATUSES.map((s) => `status:${s}` as const)] as const;
type Status = (typeof TICKET_STATUSES)[number];
type Clock = 'business' | 'calendar';
export type Unit = 'minutes' | 'hours' | 'days';
const UNIT_MIN: Record<Unit, number> = { minutes: 1, hours: 60, days: 1440 };

type MetricDraft = {
  name: string;
  custom: boolean;
  clock: Clock;
  unit: Unit;
  /** Per priority (and '' = every other priority), in `unit`. */
  targets: Record<string, string>;
  warnPercent: string;
  warnLeft: string;
  start_on: MetricEventKind[];
  stop_on: MetricEventKind[];
  repeat: boolean;
  pause_statuses: PolicyMetricBody['pause_statuses'];
};
type ConditionDraft = { field: (typeof CONDITION_FIELDS)[number]; op: 'in' | 'not_in'; values: string };
type EscalationDraft = { after: string; unit: Unit; action: Escalation['action'] };
type PolicyDraft = {
  name: string;
  active: boolean;
  match: 'all' | 'any';
  conditions: ConditionDraft[];
  calendar_id: string;
  pause_statuses: Status[];
  metrics: MetricDraft[];
  escalations: EscalationDraft[];
  reminders: { on: boolean; remind: string; solve: string };
};

/** The largest unit that shows every value as a whole number ("3 days", not "4320 minutes"); business time has no days. */
export function unitFor(values: number[], clock: Clock): Unit {
  const fits = (u: Unit) => values.every((v) => v % UNIT_MIN[u] === 0);
  if (clock === 'calendar' && values.length && fits('days')) return 'days';
  return values.length && fits('hours') ? 'hours' : 'minutes';
}
const show = (min: number | undefined, unit: Unit) => (min === undefined ? '' : String(min / UNIT_MIN[unit]));
const toMinutes = (text: string, unit: Unit): number => (text.trim() === '' ? NaN : Math.round(Number(text.replace(',', '.')) * UNIT_MIN[unit]));
const numbers = (text: string): number[] => text.split(/[,\s]+/).filter(Boolean).map(Number);

function metricDraft(m: PolicyMetricBody): MetricDraft {
  const clock: Clock = m.clock === 'calendar' ? 'calendar' : 'business';
  const all = [...(m.target_minutes !== undefined ? [m.target_minutes] : []), ...Object.values(m.targets_by_priority ?? {})];
  const unit = unitFor(all, clock);
  const targets: Record<string, string> = { '': show(m.target_minutes, unit) };
  for (const [p, v] of Object.entries(m.targets_by_priority ?? {})) targets[p] = show(v, unit);
  return {
    name: m.name, custom: !(BUILT_IN as readonly string[]).includes(m.name), clock, unit, targets,
    warnPercent: (m.warn_at_percent ?? []).join(', '), warnLeft: (m.warn_at_minutes_left ?? []).join(', '),
    start_on: m.start_on ?? [], stop_on: m.stop_on ?? [], repeat: m.repeat ?? false, pause_statuses: m.pause_statuses,
  };
}

function newMetric(name: string): MetricDraft {
  return metricDraft({ name, target_minutes: name === 'first_response' ? 60 : name === 'resolution' ? 480 : 240 });
}

export function policyDraft(p: StoredPolicy | null): PolicyDraft {
  const esc = p?.escalations ?? [];
  return {
    name: p?.name ?? '',
    active: p?.active ?? true,
    match: p?.match ?? 'all',
    conditions: (p?.conditions ?? []).map((c) => ({ field: c.field, op: c.op ?? 'in', values: c.values.join(', ') })),
    calendar_id: p?.calendar_id ?? '',
    pause_statuses: (p?.pause_statuses ?? ['pending']) as Status[],
    metrics: p ? p.metrics.map(metricDraft) : [newMetric('first_response'), newMetric('resolution')],
    escalations: esc.map((e) => { const unit = unitFor([e.after_minutes], 'calendar'); return { after: show(e.after_minutes, unit), unit, action: e.action }; }),
    reminders: p?.pending_reminders
      ? { on: true, remind: String(p.pending_reminders.remind_after_business_hours), solve: String(p.pending_reminders.solve_after_days) }
      : { on: false, remind: '24', solve: '7' },
  };
}

/** The draft as the API's body; numbers the person typed badly are sent as they are so the API names the field. */
export function policyBody(d: PolicyDraft): PolicyBody {
  return {
    name: d.name.trim(),
    active: d.active,
    match: d.match,
    conditions: d.conditions.map((c) => ({ field: c.field, op: c.op, values: c.values.split(',').map((v) => v.trim()).filter(Boolean) })),
    calendar_id: d.calendar_id || null,
    pause_statuses: d.pause_statuses,
    metrics: d.metrics.map((m) => {
      const byPriority: Record<string, number> = {};
      for (const [p, v] of Object.entries(m.targets)) if (p !== '' && v.trim() !== '') byPriority[p] = toMinutes(v, m.unit);
      const fallback = m.targets[''] ?? '';
      return {
        name: m.name.trim(),
        ...(fallback.trim() !== '' ? { target_minutes: toMinutes(fallback, m.unit) } : {}),
        ...(Object.keys(byPriority).length ? { targets_by_priority: byPriority } : {}),
        ...(m.clock === 'calendar' ? { clock: 'calendar' as const } : { clock: 'business' as const }),
        ...(m.pause_statuses ? { pause_statuses: m.pause_statuses } : {}),
        ...(m.custom ? { start_on: m.start_on, stop_on: m.stop_on, repeat: m.repeat } : {}),
        warn_at_percent: numbers(m.warnPercent),
        warn_at_minutes_left: numbers(m.warnLeft),
      };
    }),
    escalations: d.escalations.map((e) => ({ after_minutes: toMinutes(e.after, e.unit), action: e.action })),
    pending_reminders: d.reminders.on ? { remind_after_business_hours: Number(d.reminders.remind), solve_after_days: Number(d.reminders.solve) } : null,
  };
}

/** Admin → SLA policies: the ordered list (the first match applies), and the editor with the simulator. */
export function SlaPoliciesAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'sla', 'policies'], async () => {
    const [policies, calendars, lists, groups] = await Promise.all([slaApi.policies(), api.slaCalendars(), api.lists(), api.groups()]);
    return { policies, calendars, lists, groups };
  });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirm, setConfirm] = useState<StoredPolicy | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const action = useSubmit();
  const qc = useQueryClient();

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { policies, calendars, lists, groups } = data.data;
  const calName = new Map(calendars.map((c) => [c.id, c.name]));
  const current = editing && editing !== 'new' ? policies.find((p) => p.id === editing) ?? null : null;

  async function move(i: number, by: -1 | 1) {
    const ids = policies.map((p) => p.id);
    const j = i + by;
    const a = ids[i];
    const b = ids[j];
    if (a === undefined || b === undefined) return;
    ids[i] = b;
    ids[j] = a;
    await action.run(async () => {
      await slaApi.reorderPolicies(ids);
      setStatus(t('pol.moved', { name: policies[i]?.name ?? '', n: j + 1 }));
      await data.reload();
    });
  }
  async function remove(p: StoredPolicy) {
    setConfirm(null);
    await action.run(async () => {
      await slaApi.deletePolicy(p.id);
      setStatus(t('pol.deleted', { name: p.name }));
      if (editing === p.id) setEditing(null);
      await data.reload();
    });
  }

  return (
    <section className="panel" data-testid="sla-policies">
      <h2>{t('pol.title')}</h2>
      <p className="muted">{t('pol.intro')}</p>
      <ErrorBanner error={action.error} />
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="policies-table">
          <thead>
            <tr>
              <th scope="col">{t('pol.order')}</th>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('sim.calendar')}</th>
              <th scope="col">{t('pol.targets')}</th>
              <th scope="col"><span className="sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {policies.map((p, i) => (
              <tr key={p.id} data-testid={`policy-row-${p.name}`} className={p.active ? '' : 'inactive'}>
                <td>{i + 1}</td>
                <td>{p.name} {p.active ? null : <Badge tone="muted">{t('pol.inactive')}</Badge>}</td>
                <td>{p.calendar_id ? calName.get(p.calendar_id) ?? '—' : t('sim.always')}</td>
                <td>
                  <ul className="plain">
                    {p.metrics.map((m) => {
                      const target = m.targets_by_priority?.normal ?? m.target_minutes;
                      return <li key={m.name}>{t(`pol.metric.${m.name}`, { defaultValue: m.name })}: {target !== undefined ? <TargetText minutes={target} clock={m.clock} /> : '—'}</li>;
                    })}
                  </ul>
                </td>
                <td className="right">
                  <span className="row-actions">
                    <button type="button" className="button small" disabled={i === 0 || action.busy} aria-label={t('pol.moveUp', { name: p.name })} onClick={() => void move(i, -1)}>↑</button>
                    <button type="button" className="button small" disabled={i === policies.length - 1 || action.busy} aria-label={t('pol.moveDown', { name: p.name })} onClick={() => void move(i, 1)}>↓</button>
                    <button type="button" className="button small" aria-expanded={editing === p.id} aria-label={t('pol.editOne', { name: p.name })}
                      onClick={() => setEditing(editing === p.id ? null : p.id)}>{t('edit')}</button>
                    <button type="button" className="button small danger" aria-label={t('pol.deleteOne', { name: p.name })} onClick={() => setConfirm(p)}>{t('delete')}</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing === null ? (
        <div className="actions"><button type="button" className="button primary" data-testid="policy-new" onClick={() => { setStatus(null); setEditing('new'); }}>{t('pol.new')}</button></div>
      ) : (
        <PolicyEditor key={editing} policy={current} calendars={calendars} groups={groups} priorities={lists.priorities} onCancel={() => setEditing(null)}
          onSaved={async (p, created) => { await qc.invalidateQueries({ queryKey: ['admin', 'sla'] }); setStatus(t(created ? 'pol.created' : 'pol.saved', { name: p.name })); setEditing(p.id); }} />
      )}
      <ConfirmDialog open={confirm !== null} title={t('pol.confirmTitle')} confirmLabel={t('delete')}
        onCancel={() => setConfirm(null)} onConfirm={() => { if (confirm) void remove(confirm); }}>
        <p>{t('pol.confirmText', { name: confirm?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

/** Errors shown beside a control; the rest go to the banner. */
const SHOWN = /^(name|calendar_id|match|pause_statuses|metrics|metrics\[\d+\](\.(name|target_minutes|targets_by_priority(\.\w+)?|clock|start_on|stop_on|warn_at_percent|warn_at_minutes_left)(\[\d+\])?)?|conditions\[\d+\](\.(field|op|values)(\[\d+\])?)?|escalations(\[\d+\](\.\w+)?)?|pending_reminders(\.\w+)?)$/;

function PolicyEditor({ policy, calendars, groups, priorities, onSaved, onCancel }: {
  policy: StoredPolicy | null; calendars: SlaCalendar[]; groups: readonly { id: string; name: string }[]; priorities: ListEntry[]; onSaved: (p: StoredPolicy, created: boolean) => Promise<void>; onCancel: () => void;
}) {
  const { t } = useTranslation('admin');
  const [draft, setDraft] = useState<PolicyDraft>(() => policyDraft(policy));
  const [savedId, setSavedId] = useState<string | null>(policy?.id ?? null);
  const [showSim, setShowSim] = useState(false);
  const save = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(save.error);
  const problems = save.error instanceof ApiError ? save.error.errors : [];
  const err = (path: string) => errorAt(problems, path) ?? errorAt(problems, `${path}[0]`);
  const banner = save.error !== undefined && !(save.error instanceof ApiError && problems.length > 0 && problems.every((x) => SHOWN.test(x.path))) ? save.error : undefined;
  const prios = priorities.length ? priorities : TICKET_PRIORITIES.map((k) => ({ key: k, label: t(`pol.priority.${k}`) }));

  const set = (patch: Partial<PolicyDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setMetric = (i: number, patch: Partial<MetricDraft>) => setDraft((d) => ({ ...d, metrics: d.metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));
  const setCondition = (i: number, patch: Partial<ConditionDraft>) => setDraft((d) => ({ ...d, conditions: d.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  const setEscalation = (i: number, patch: Partial<EscalationDraft>) => setDraft((d) => ({ ...d, escalations: d.escalations.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  const metricLabel = (m: MetricDraft, i: number) => (m.custom ? m.name || t('pol.metricN', { n: i + 1 }) : t(`pol.metric.${m.name}`));

  function submit(e: FormEvent) {
    e.preventDefault();
    void save.run(async () => {
      const body = policyBody(draft);
      const row = savedId ? await slaApi.updatePolicy(savedId, body) : await slaApi.createPolicy(body);
      setSavedId(row.id);
      await onSaved(row, !savedId);
    });
  }
  const body = policyBody(draft);
  const simPolicy: SimPolicy = { name: body.name, calendar_id: body.calendar_id ?? null, pause_statuses: body.pause_statuses ?? [], metrics: body.metrics };
  const title = policy ? t('pol.editOne', { name: policy.name }) : t('pol.new');

  return (
    <>
      <form ref={formRef} className="panel" data-testid="policy-editor" aria-label={title} noValidate onSubmit={submit}>
        <h3>{title}</h3>
        <TextField label={t('name')} error={err('name')} value={draft.name} onChange={(v) => set({ name: v })} />
        <label className="check"><input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />{t('pol.active')}</label>
        <SelectField label={t('sim.calendar')} hint={t('pol.calendarHint')} error={err('calendar_id')} value={draft.calendar_id} onChange={(v) => set({ calendar_id: v })}>
          <option value="">{t('sim.always')}</option>
          {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>

        <fieldset className="field" data-testid="policy-conditions">
          <legend>{t('pol.conditions')}</legend>
          <SelectField label={t('pol.match')} value={draft.match} onChange={(v) => set({ match: v === 'any' ? 'any' : 'all' })}>
            <option value="all">{t('pol.matchAll')}</option>
            <option value="any">{t('pol.matchAny')}</option>
          </SelectField>
          {draft.conditions.length === 0 ? <p className="muted small">{t('pol.noConditions')}</p> : null}
          {draft.conditions.map((c, i) => (
            <div key={i} className="inline-form" data-testid={`condition-${i}`}>
              <SelectField label={t('pol.condField', { n: i + 1 })} error={err(`conditions[${i}].field`)} value={c.field}
                onChange={(v) => setCondition(i, { field: CONDITION_FIELDS.find((f) => f === v) ?? 'type' })}>
                {CONDITION_FIELDS.map((f) => <option key={f} value={f}>{t(`pol.field.${f}`)}</option>)}
              </SelectField>
              <SelectField label={t('pol.condOp', { n: i + 1 })} value={c.op} onChange={(v) => setCondition(i, { op: v === 'not_in' ? 'not_in' : 'in' })}>
                <option value="in">{t('pol.opIn')}</option>
                <option value="not_in">{t('pol.opNotIn')}</option>
              </SelectField>
              <TextField label={t('pol.condValues', { n: i + 1 })} hint={t('pol.condValuesHint')} error={err(`conditions[${i}].values`)} value={c.values} onChange={(v) => setCondition(i, { values: v })} />
              <button type="button" className="button small" aria-label={t('pol.removeCondition', { n: i + 1 })}
                onClick={() => set({ conditions: draft.conditions.filter((_, j) => j !== i) })}>×</button>
            </div>
          ))}
          <button type="button" className="button small" onClick={() => set({ conditions: [...draft.conditions, { field: 'priority', op: 'in', values: '' }] })}>{t('pol.addCondition')}</button>
        </fieldset>

        <fieldset className="field">
          <legend>{t('pol.pauseStatuses')}</legend>
          {err('pause_statuses') ? <small className="field-error" role="alert">{err('pause_statuses')}</small> : null}
          {TICKET_STATUSES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={draft.pause_statuses.includes(s)}
                onChange={(e) => set({ pause_statuses: e.target.checked ? [...draft.pause_statuses, s] : draft.pause_statuses.filter((x) => x !== s) })} />
              {t(`pol.status.${s}`)}
            </label>
          ))}
        </fieldset>

        <fieldset className="field" data-testid="policy-metrics">
          <legend>{t('pol.targets')}</legend>
          <p className="muted small">{t('pol.targetsHint')}</p>
          {err('metrics') ? <small className="field-error" role="alert">{err('metrics')}</small> : null}
          {draft.metrics.map((m, i) => {
            const at = `metrics[${i}]`;
            const units: Unit[] = m.clock === 'calendar' ? ['minutes', 'hours', 'days'] : ['minutes', 'hours'];
            const label = metricLabel(m, i);
            return (
              <fieldset key={i} className="metric-editor" data-testid={`metric-${i}`}>
                <legend>{label}</legend>
                <SelectField label={t('pol.metricKind', { metric: label })} value={m.custom ? '' : m.name}
                  onChange={(v) => setMetric(i, v === '' ? { custom: true, name: m.custom ? m.name : '' } : { custom: false, name: v })}>
                  {BUILT_IN.map((b) => <option key={b} value={b}>{t(`pol.metric.${b}`)}</option>)}
                  <option value="">{t('pol.customMetric')}</option>
                </SelectField>
                {m.custom ? (
                  <TextField label={t('pol.metricName', { metric: label })} hint={t('pol.metricNameHint')} error={err(`${at}.name`)} value={m.name} onChange={(v) => setMetric(i, { name: v })} />
                ) : err(`${at}.name`) ? <small className="field-error" role="alert">{err(`${at}.name`)}</small> : null}
                <fieldset className="field">
                  <legend>{t('pol.clock', { metric: label })}</legend>
                  <label className="check">
                    <input type="radio" name={`clock-${i}`} checked={m.clock === 'business'}
                      onChange={() => setMetric(i, { clock: 'business', unit: m.unit === 'days' ? 'hours' : m.unit, targets: m.unit === 'days' ? Object.fromEntries(Object.entries(m.targets).map(([k, v]) => [k, v.trim() === '' ? v : String(Number(v) * 24)])) : m.targets })} />
                    {t('pol.clockBusiness')}
                  </label>
                  <label className="check">
                    <input type="radio" name={`clock-${i}`} checked={m.clock === 'calendar'} onChange={() => setMetric(i, { clock: 'calendar' })} />
                    {t('pol.clockCalendar')}
                  </label>
                </fieldset>
                <SelectField label={t('pol.unitLabel', { metric: label })} value={m.unit} onChange={(v) => setMetric(i, { unit: units.find((u) => u === v) ?? 'minutes' })}>
                  {units.map((u) => <option key={u} value={u}>{t(`pol.unit.${m.clock}.${u}`)}</option>)}
                </SelectField>
                <div className="inline-form">
                  <TextField label={t('pol.targetDefault', { metric: label })} inputMode="decimal" size={6} error={err(`${at}.target_minutes`)}
                    value={m.targets[''] ?? ''} onChange={(v) => setMetric(i, { targets: { ...m.targets, '': v } })} />
                  {prios.map((p) => (
                    <TextField key={p.key} label={t('pol.targetFor', { metric: label, priority: p.label })} inputMode="decimal" size={6}
                      error={err(`${at}.targets_by_priority.${p.key}`)} value={m.targets[p.key] ?? ''} onChange={(v) => setMetric(i, { targets: { ...m.targets, [p.key]: v } })} />
                  ))}
                </div>
                <p className="small" data-testid={`metric-${i}-summary`}>
                  {(() => {
                    const n = toMinutes(m.targets.normal ?? m.targets[''] ?? '', m.unit);
                    return Number.isFinite(n) && n > 0 ? <>{t('pol.summaryNormal')}: <TargetText minutes={n} clock={m.clock} /></> : null;
                  })()}
                </p>
                <div className="inline-form">
                  <TextField label={t('pol.warnPercent', { metric: label })} hint={t('pol.warnPercentHint')} error={err(`${at}.warn_at_percent`)} value={m.warnPercent} onChange={(v) => setMetric(i, { warnPercent: v })} />
                  <TextField label={t('pol.warnLeft', { metric: label })} hint={t('pol.warnLeftHint')} error={err(`${at}.warn_at_minutes_left`)} value={m.warnLeft} onChange={(v) => setMetric(i, { warnLeft: v })} />
                </div>
                {m.custom ? (
                  <>
                    {(['start_on', 'stop_on'] as const).map((which) => (
                      <fieldset key={which} className="field">
                        <legend>{t(`pol.${which}`, { metric: label })}</legend>
                        {err(`${at}.${which}`) ? <small className="field-error" role="alert">{err(`${at}.${which}`)}</small> : null}
                        {/* Ownership clocks: group:<id> — enters (start) or leaves (stop) the group. */}
                        {[...EVENT_KINDS, ...groups.map((g) => `group:${g.id}` as const)].map((k) => (
                          <label key={k} className="check">
                            <input type="checkbox" checked={m[which].includes(k)} aria-invalid={!!err(`${at}.${which}`)}
                              onChange={(e) => setMetric(i, { [which]: e.target.checked ? [...m[which], k] : m[which].filter((x) => x !== k) })} />
                            {k.startsWith('status:') ? t('pol.kindStatus', { status: t(`pol.status.${k.slice(7)}`) })
                              : k.startsWith('group:') ? t(which === 'start_on' ? 'pol.kindGroupIn' : 'pol.kindGroupOut', { group: groups.find((g) => `group:${g.id}` === k)?.name ?? k.slice(6) })
                              : t(`sim.type.${k}`)}
                          </label>
                        ))}
                      </fieldset>
                    ))}
                    <label className="check"><input type="checkbox" checked={m.repeat} onChange={(e) => setMetric(i, { repeat: e.target.checked })} />{t('pol.repeat')}</label>
                  </>
                ) : null}
                <button type="button" className="button small danger" aria-label={t('pol.removeMetric', { metric: label })}
                  onClick={() => set({ metrics: draft.metrics.filter((_, j) => j !== i) })}>{t('pol.removeMetricShort')}</button>
              </fieldset>
            );
          })}
          <div className="actions">
            {BUILT_IN.filter((b) => !draft.metrics.some((m) => m.name === b)).map((b) => (
              <button key={b} type="button" className="button small" onClick={() => set({ metrics: [...draft.metrics, newMetric(b)] })}>{t('pol.addMetric', { metric: t(`pol.metric.${b}`) })}</button>
            ))}
            <button type="button" className="button small" onClick={() => set({ metrics: [...draft.metrics, { ...newMetric(''), custom: true, start_on: ['created'], stop_on: ['agent_message'] }] })}>
              {t('pol.addCustom')}
            </button>
          </div>
        </fieldset>

        <fieldset className="field" data-testid="policy-escalations">
          <legend>{t('pol.escalations')}</legend>
          <p className="muted small">{t('pol.escalationsHint')}</p>
          {err('escalations') ? <small className="field-error" role="alert">{err('escalations')}</small> : null}
          {draft.escalations.map((e, i) => (
            <div key={i} className="inline-form" data-testid={`escalation-${i}`}>
              <TextField label={t('pol.escAfter', { n: i + 1 })} inputMode="decimal" size={6} error={err(`escalations[${i}].after_minutes`)} value={e.after} onChange={(v) => setEscalation(i, { after: v })} />
              <SelectField label={t('pol.escUnit', { n: i + 1 })} value={e.unit} onChange={(v) => setEscalation(i, { unit: v === 'days' ? 'days' : v === 'hours' ? 'hours' : 'minutes' })}>
                {(['minutes', 'hours', 'days'] as const).map((u) => <option key={u} value={u}>{t(`pol.unit.calendar.${u}`)}</option>)}
              </SelectField>
              <SelectField label={t('pol.escAction', { n: i + 1 })} error={err(`escalations[${i}].action`)} value={e.action}
                onChange={(v) => setEscalation(i, { action: ESCALATION_ACTIONS.find((a) => a === v) ?? 'notify_assignee' })}>
                {ESCALATION_ACTIONS.map((a) => <option key={a} value={a}>{t(`pol.esc.${a}`)}</option>)}
              </SelectField>
              <button type="button" className="button small" aria-label={t('pol.removeEscalation', { n: i + 1 })}
                onClick={() => set({ escalations: draft.escalations.filter((_, j) => j !== i) })}>×</button>
            </div>
          ))}
          {draft.escalations.length < 4 ? (
            <button type="button" className="button small" onClick={() => set({ escalations: [...draft.escalations, { after: draft.escalations.length ? String(Number(draft.escalations.at(-1)?.after ?? 0) + 1) : '0', unit: draft.escalations.at(-1)?.unit ?? 'hours', action: 'notify_assignee' }] })}>
              {t('pol.addEscalation')}
            </button>
          ) : null}
        </fieldset>

        <fieldset className="field">
          <legend>{t('pol.reminders')}</legend>
          <label className="check"><input type="checkbox" checked={draft.reminders.on} onChange={(e) => set({ reminders: { ...draft.reminders, on: e.target.checked } })} />{t('pol.remindersOn')}</label>
          {draft.reminders.on ? (
            <div className="inline-form">
              <TextField label={t('pol.remindAfter')} inputMode="decimal" size={6} error={err('pending_reminders.remind_after_business_hours')} value={draft.reminders.remind}
                onChange={(v) => set({ reminders: { ...draft.reminders, remind: v } })} />
              <TextField label={t('pol.solveAfter')} inputMode="decimal" size={6} error={err('pending_reminders.solve_after_days')} value={draft.reminders.solve}
                onChange={(v) => set({ reminders: { ...draft.reminders, solve: v } })} />
            </div>
          ) : null}
        </fieldset>

        <ErrorBanner error={banner} />
        <div className="actions">
          <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
          <button type="button" className="button" aria-expanded={showSim} onClick={() => setShowSim((s) => !s)} data-testid="policy-try">{t('pol.try')}</button>
          <button type="submit" className="button primary" disabled={save.busy} data-testid="policy-save">{t('save')}</button>
        </div>
      </form>
      {showSim ? <SlaSimulator draftPolicy={simPolicy} /> : null}
    </>
  );
}
