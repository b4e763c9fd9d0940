import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, call, client, type Group, type Lists, type User } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { useFocusFirstInvalid } from './forms.ts';
import { errorAt } from './sla-api.ts';
import { sendsOf, TriggerSendsEditor, type SendsDraft } from './trigger-sends.tsx';

type TriggerBody = paths['/api/v1/triggers']['post']['requestBody']['content']['application/json'];
type Condition = NonNullable<TriggerBody['conditions']>[number];
type Trigger = Omit<TriggerBody, 'conditions'> & { id: string; position: number; conditions: Condition[] };

const EVENTS = ['created', 'customer_replied', 'updated'] as const;
/** Each field the editor offers and the comparisons it takes (core/triage/trigger-schema.ts). */
export const FIELD_OPS = {
  subject: ['contains_any', 'contains_none', 'matches'],
  body: ['contains_any', 'contains_none', 'matches'],
  text: ['contains_any', 'contains_none', 'matches'],
  channel: ['is', 'is_not'],
  support_address: ['is', 'is_not'],
  requester_email: ['is', 'ends_with'],
  organization_id: ['is', 'is_not'],
  tier: ['is', 'is_not'],
  type: ['is', 'is_not'],
  priority: ['is', 'is_not'],
  language: ['is', 'is_not'],
  tags: ['include_any', 'include_none'],
} as const;
type Field = keyof typeof FIELD_OPS;
const FIELDS = Object.keys(FIELD_OPS) as Field[];
const isField = (f: string): f is Field => f in FIELD_OPS;

/** A condition as typed: a comma list, or one pattern for `matches`; others (local time) are kept as they are. */
type CondDraft = { field: Field; op: string; value: string } | { kept: Condition };
type Draft = {
  name: string; active: boolean; events: string[]; match: 'all' | 'any'; conditions: CondDraft[];
  type: string; priority: string; group_id: string; assignee_id: string; add_tags: string; remove_tags: string; internal_note: string;
  sends: SendsDraft;
};

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function draftOf(tr: Trigger | null): Draft {
  const a = tr?.actions ?? {};
  return {
    name: tr?.name ?? '', active: tr?.active ?? true, events: tr?.events ?? ['created'], match: tr?.match ?? 'all',
    conditions: (tr?.conditions ?? []).map((c): CondDraft => (isField(c.field)
      ? { field: c.field, op: c.op, value: Array.isArray(c.value) ? c.value.join(', ') : typeof c.value === 'string' ? c.value : '' }
      : { kept: c })),
    type: a.type ?? '', priority: a.priority ?? '', group_id: a.group_id ?? '', assignee_id: a.assignee_id ?? '',
    add_tags: (a.add_tags ?? []).join(', '), remove_tags: (a.remove_tags ?? []).join(', '), internal_note: a.internal_note ?? '',
    sends: sendsOf(a),
  };
}

/** The draft as the API's body (the server checks each condition against its field's schema and names what is wrong). */
function bodyOf(d: Draft): TriggerBody {
  const conditions = d.conditions.map((c) => ('kept' in c ? c.kept : { field: c.field, op: c.op, value: c.op === 'matches' ? c.value : list(c.value) }));
  return {
    name: d.name.trim(), active: d.active, events: d.events as TriggerBody['events'], match: d.match,
    conditions: conditions as Condition[],
    actions: {
      ...(d.type ? { type: d.type } : {}), ...(d.priority ? { priority: d.priority } : {}),
      ...(d.group_id ? { group_id: d.group_id } : {}), ...(d.assignee_id ? { assignee_id: d.assignee_id } : {}),
      ...(list(d.add_tags).length ? { add_tags: list(d.add_tags) } : {}), ...(list(d.remove_tags).length ? { remove_tags: list(d.remove_tags) } : {}),
      ...(d.internal_note.trim() ? { internal_note: d.internal_note.trim() } : {}),
      ...d.sends,
    },
  };
}

const id = (v: string) => ({ params: { path: { id: v } } });
const triggersApi = {
  list: async () => (await call<{ data: Trigger[] }>(client.GET('/api/v1/triggers'))).data,
  create: (body: TriggerBody) => call<Trigger>(client.POST('/api/v1/triggers', { body })),
  update: (tid: string, body: TriggerBody) => call<Trigger>(client.PATCH('/api/v1/triggers/{id}', { ...id(tid), body })),
  remove: (tid: string) => call<unknown>(client.DELETE('/api/v1/triggers/{id}', id(tid))),
  reorder: (ids: string[]) => call<unknown>(client.PUT('/api/v1/triggers/order', { body: { ids } })),
};

/** Admin → Triggers: rules run in order on new and changed tickets; each sets fields, tags or adds a note. */
export function TriggersAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'triggers'], async () => {
    const [triggers, lists, groups, users] = await Promise.all([triggersApi.list(), api.lists(), api.groups(), api.users()]);
    return { triggers, lists, groups, users };
  });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirm, setConfirm] = useState<Trigger | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const action = useSubmit();
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { triggers, lists, groups, users } = data.data;
  const current = editing && editing !== 'new' ? triggers.find((x) => x.id === editing) ?? null : null;

  async function move(i: number, by: -1 | 1) {
    const ids = triggers.map((x) => x.id);
    const a = ids[i];
    const b = ids[i + by];
    if (a === undefined || b === undefined) return;
    ids[i] = b;
    ids[i + by] = a;
    await action.run(async () => {
      await triggersApi.reorder(ids);
      await data.reload();
      setStatus(t('pol.moved', { name: triggers[i]?.name ?? '', n: i + by + 1 }));
    });
  }
  async function remove(tr: Trigger) {
    setConfirm(null);
    await action.run(async () => {
      await triggersApi.remove(tr.id);
      if (editing === tr.id) setEditing(null);
      await data.reload();
      setStatus(t('trg.deleted', { name: tr.name }));
    });
  }

  return (
    <section className="panel" data-testid="triggers-admin">
      <h2>{t('trg.title')}</h2>
      <p className="muted">{t('trg.intro')}</p>
      <ErrorBanner error={action.error} />
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="triggers-table">
          <thead><tr><th scope="col">{t('pol.order')}</th><th scope="col">{t('name')}</th><th scope="col">{t('trg.events')}</th><th scope="col">{t('trg.summary')}</th><th scope="col"><span className="sr-only">{t('actions')}</span></th></tr></thead>
          <tbody>
            {triggers.map((tr, i) => (
              <tr key={tr.id} data-testid={`trigger-row-${tr.name}`} className={tr.active === false ? 'inactive' : ''}>
                <td>{i + 1}</td>
                <td>{tr.name} {tr.active === false ? <Badge tone="muted">{t('pol.inactive')}</Badge> : null}</td>
                <td>{(tr.events ?? []).map((e) => t(`trg.event.${e}`)).join(', ')}</td>
                <td>{t('trg.counts', { conditions: tr.conditions.length, actions: Object.keys(tr.actions).length })}</td>
                <td className="right">
                  <span className="row-actions">
                    <button type="button" className="button small" disabled={i === 0 || action.busy} aria-label={t('pol.moveUp', { name: tr.name })} onClick={() => void move(i, -1)}>↑</button>
                    <button type="button" className="button small" disabled={i === triggers.length - 1 || action.busy} aria-label={t('pol.moveDown', { name: tr.name })} onClick={() => void move(i, 1)}>↓</button>
                    <button type="button" className="button small" aria-expanded={editing === tr.id} aria-label={t('trg.editOne', { name: tr.name })} onClick={() => setEditing(editing === tr.id ? null : tr.id)}>{t('edit')}</button>
                    <button type="button" className="button small danger" aria-label={t('trg.deleteOne', { name: tr.name })} onClick={() => setConfirm(tr)}>{t('delete')}</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing === null ? (
        <div className="actions"><button type="button" className="button primary" data-testid="trigger-new" onClick={() => { setStatus(null); setEditing('new'); }}>{t('trg.new')}</button></div>
      ) : (
        <TriggerEditor key={editing} trigger={current} lists={lists} groups={groups} users={users} onCancel={() => setEditing(null)}
          onSaved={async (tr, created) => { await data.reload(); setEditing(null); setStatus(t(created ? 'trg.created' : 'trg.saved', { name: tr.name })); }} />
      )}
      <ConfirmDialog open={confirm !== null} title={t('trg.confirmTitle')} confirmLabel={t('delete')} onCancel={() => setConfirm(null)} onConfirm={() => { if (confirm) void remove(confirm); }}>
        <p>{t('trg.confirmText', { name: confirm?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

const SHOWN = /^(name|events|conditions\[\d+\](\.(field|op|value)(\[\d+\])?)?|actions(\.\w+)?(\[\d+\])?(\.texts\[\d+\]\.(subject|body|language))?)$/;

function TriggerEditor({ trigger, lists, groups, users, onSaved, onCancel }: {
  trigger: Trigger | null; lists: Lists; groups: Group[]; users: User[]; onSaved: (t: Trigger, created: boolean) => Promise<void>; onCancel: () => void;
}) {
  const { t } = useTranslation('admin');
  const [d, setD] = useState<Draft>(() => draftOf(trigger));
  const save = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(save.error);
  const problems = save.error instanceof ApiError ? save.error.errors : [];
  const err = (path: string) => errorAt(problems, path) ?? problems.find((p) => p.path.startsWith(`${path}[`))?.message;
  const banner = save.error !== undefined && !(problems.length > 0 && problems.every((p) => SHOWN.test(p.path))) ? save.error : undefined;
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const setCond = (i: number, c: CondDraft) => set({ conditions: d.conditions.map((x, j) => (j === i ? c : x)) });

  function submit(e: FormEvent) {
    e.preventDefault();
    void save.run(async () => {
      const row = trigger ? await triggersApi.update(trigger.id, bodyOf(d)) : await triggersApi.create(bodyOf(d));
      await onSaved(row, !trigger);
    });
  }
  const title = trigger ? t('trg.editOne', { name: trigger.name }) : t('trg.new');
  return (
    <form ref={formRef} className="panel" data-testid="trigger-editor" aria-label={title} noValidate onSubmit={submit}>
      <h3>{title}</h3>
      <TextField label={t('name')} error={err('name')} value={d.name} onChange={(v) => set({ name: v })} />
      <label className="check"><input type="checkbox" checked={d.active} onChange={(e) => set({ active: e.target.checked })} />{t('pol.active')}</label>
      <fieldset className="field">
        <legend>{t('trg.events')}</legend>
        {err('events') ? <small className="field-error" role="alert">{err('events')}</small> : null}
        {EVENTS.map((ev) => (
          <label key={ev} className="check">
            <input type="checkbox" checked={d.events.includes(ev)} aria-invalid={!!err('events')} onChange={(e) => set({ events: e.target.checked ? [...d.events, ev] : d.events.filter((x) => x !== ev) })} />
            {t(`trg.event.${ev}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="field" data-testid="trigger-conditions">
        <legend>{t('pol.conditions')}</legend>
        <SelectField label={t('pol.match')} value={d.match} onChange={(v) => set({ match: v === 'any' ? 'any' : 'all' })}>
          <option value="all">{t('pol.matchAll')}</option>
          <option value="any">{t('pol.matchAny')}</option>
        </SelectField>
        {d.conditions.map((c, i) => {
          const remove = <button type="button" className="button small" aria-label={t('pol.removeCondition', { n: i + 1 })} onClick={() => set({ conditions: d.conditions.filter((_, j) => j !== i) })}>×</button>;
          if ('kept' in c) return <div key={i} className="inline-form"><span>{t('trg.kept', { n: i + 1, field: c.kept.field })}</span>{remove}</div>;
          const ops: readonly string[] = FIELD_OPS[c.field];
          return (
            <div key={i} className="inline-form" data-testid={`trigger-condition-${i}`}>
              <SelectField label={t('pol.condField', { n: i + 1 })} error={err(`conditions[${i}].field`)} value={c.field}
                onChange={(v) => { const f = isField(v) ? v : 'subject'; setCond(i, { field: f, op: FIELD_OPS[f][0], value: c.value }); }}>
                {FIELDS.map((f) => <option key={f} value={f}>{t(`trg.field.${f}`)}</option>)}
              </SelectField>
              <SelectField label={t('pol.condOp', { n: i + 1 })} error={err(`conditions[${i}].op`)} value={c.op} onChange={(v) => setCond(i, { ...c, op: v })}>
                {ops.map((o) => <option key={o} value={o}>{t(`trg.op.${o}`)}</option>)}
              </SelectField>
              <TextField label={t('pol.condValues', { n: i + 1 })} hint={c.op === 'matches' ? t('trg.patternHint') : t('trg.valuesHint')}
                error={err(`conditions[${i}].value`) ?? err(`conditions[${i}]`)} value={c.value} onChange={(v) => setCond(i, { ...c, value: v })} />
              {remove}
            </div>
          );
        })}
        <button type="button" className="button small" onClick={() => set({ conditions: [...d.conditions, { field: 'subject', op: 'contains_any', value: '' }] })}>{t('pol.addCondition')}</button>
      </fieldset>
      <fieldset className="field" data-testid="trigger-actions">
        <legend>{t('trg.actions')}</legend>
        {err('actions') ? <small className="field-error" role="alert">{err('actions')}</small> : null}
        <SelectField label={t('trg.setType')} error={err('actions.type')} value={d.type} onChange={(v) => set({ type: v })}>
          <option value="">{t('trg.noChange')}</option><Options entries={lists.types} />
        </SelectField>
        <SelectField label={t('trg.setPriority')} error={err('actions.priority')} value={d.priority} onChange={(v) => set({ priority: v })}>
          <option value="">{t('trg.noChange')}</option><Options entries={lists.priorities} />
        </SelectField>
        <SelectField label={t('trg.setGroup')} error={err('actions.group_id')} value={d.group_id} onChange={(v) => set({ group_id: v })}>
          <option value="">{t('trg.noChange')}</option>{groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </SelectField>
        <SelectField label={t('trg.setAssignee')} error={err('actions.assignee_id')} value={d.assignee_id} onChange={(v) => set({ assignee_id: v })}>
          <option value="">{t('trg.noChange')}</option>{users.filter((u) => u.active).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </SelectField>
        <TextField label={t('trg.addTags')} hint={t('trg.valuesHint')} error={err('actions.add_tags')} value={d.add_tags} onChange={(v) => set({ add_tags: v })} />
        <TextField label={t('trg.removeTags')} hint={t('trg.valuesHint')} error={err('actions.remove_tags')} value={d.remove_tags} onChange={(v) => set({ remove_tags: v })} />
        <TextField label={t('trg.note')} error={err('actions.internal_note')} value={d.internal_note} onChange={(v) => set({ internal_note: v })} />
      </fieldset>
      <TriggerSendsEditor value={d.sends} onChange={(sends) => set({ sends })} err={err} />
      <ErrorBanner error={banner} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={save.busy} data-testid="trigger-save">{t('save')}</button>
      </div>
    </form>
  );
}
