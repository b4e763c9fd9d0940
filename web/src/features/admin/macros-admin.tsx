import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, call, client, TICKET_STATUSES, type Group, type Lists } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ListEdit } from './list-edit.tsx';
import { fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { errorAt } from './sla-api.ts';

type MacroBody = paths['/api/v1/macros']['post']['requestBody']['content']['application/json'];
type Macro = MacroBody & { id: string; shared: boolean; owner_id: string | null };
const LANGS = ['en', 'ru', 'zh', 'bg'] as const;

const id = (v: string) => ({ params: { path: { id: v } } });
const macrosApi = {
  list: async () => (await call<{ data: Macro[] }>(client.GET('/api/v1/macros', { params: { query: {} } }))).data,
  create: (body: MacroBody) => call<Macro>(client.POST('/api/v1/macros', { body })),
  update: (mid: string, body: MacroBody) => call<Macro>(client.PATCH('/api/v1/macros/{id}', { ...id(mid), body })),
  remove: (mid: string) => call<unknown>(client.DELETE('/api/v1/macros/{id}', id(mid))),
};

/** Admin → Macros: canned replies in each language, shared with every agent or personal, with the ticket changes they apply. */
export function MacrosAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'macros'], async () => {
    const [macros, lists, groups] = await Promise.all([macrosApi.list(), api.lists(), api.groups()]);
    return { macros, lists, groups };
  });
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { macros, lists, groups } = data.data;
  return (
    <ListEdit<Macro> tableTestId="macros-table" testId="macros-admin" title={t('mac.title')} intro={<p>{t('mac.intro')}</p>} rows={macros} reload={data.reload}
      rowKey={(m) => m.id} rowTestId={(m) => `macro-row-${m.title}`} rowName={(m) => m.title}
      editAria={(m) => t('mac.editOne', { name: m.title })} deleteAria={(m) => t('mac.deleteOne', { name: m.title })}
      columns={[
        { header: t('mac.titleField'), cell: (m) => m.title },
        { header: t('language'), cell: (m) => m.language },
        { header: t('mac.scope'), cell: (m) => (m.shared ? <Badge tone="blue">{t('mac.shared')}</Badge> : <Badge tone="muted">{t('mac.personal')}</Badge>) },
      ]}
      newLabel={t('mac.new')} newTestId="macro-new"
      editor={({ row, saved, cancel }) => (
        <MacroEditor macro={row} lists={lists} groups={groups} onCancel={cancel}
          onSaved={(m, created) => saved(t(created ? 'mac.created' : 'mac.saved', { name: m.title }))} />
      )}
      remove={{
        confirmTitle: t('mac.confirmTitle'), confirmText: (m) => t('mac.confirmText', { name: m.title }),
        run: async (m) => { await macrosApi.remove(m.id); return t('mac.deleted', { name: m.title }); },
      }} />
  );
}

function MacroEditor({ macro, lists, groups, onSaved, onCancel }: { macro: Macro | null; lists: Lists; groups: Group[]; onSaved: (m: Macro, created: boolean) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin');
  const a = macro?.actions ?? {};
  const [title, setTitle] = useState(macro?.title ?? '');
  const [language, setLanguage] = useState(macro?.language ?? 'en');
  const [body, setBody] = useState(macro?.body ?? '');
  const [shared, setShared] = useState(macro?.shared ?? true);
  const [st, setSt] = useState<string>(a.status ?? '');
  const [priority, setPriority] = useState(a.priority ?? '');
  const [type, setType] = useState(a.type ?? '');
  const [groupId, setGroupId] = useState(a.group_id ?? '');
  const [tags, setTags] = useState((a.tags ?? []).join(', '));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const problems = error instanceof ApiError ? error.errors : [];
  // "body" is this form's own field here, not the request body the client's field names strip.
  const bodyError = errorAt(problems, 'body');
  const banner = error !== undefined && !(problems.length > 0 && problems.every((p) => /^(title|language|body|shared|actions\.\w+(\[\d+\])?)$/.test(p.path))) ? error : undefined;
  function submit(e: FormEvent) {
    e.preventDefault();
    const tagList = tags.split(',').map((x) => x.trim()).filter(Boolean);
    const input: MacroBody = {
      title: title.trim(), language, body, shared,
      actions: {
        ...(st ? { status: st as NonNullable<NonNullable<MacroBody['actions']>['status']> } : {}),
        ...(priority ? { priority } : {}), ...(type ? { type } : {}), ...(groupId ? { group_id: groupId } : {}), ...(tagList.length ? { tags: tagList } : {}),
      },
    };
    void run(async () => {
      const row = macro ? await macrosApi.update(macro.id, input) : await macrosApi.create(input);
      await onSaved(row, !macro);
    });
  }
  const heading = macro ? t('mac.editOne', { name: macro.title }) : t('mac.new');
  return (
    <form ref={formRef} className="panel" data-testid="macro-editor" aria-label={heading} noValidate onSubmit={submit}>
      <h3>{heading}</h3>
      <TextField label={t('mac.titleField')} error={fe.title} value={title} onChange={setTitle} />
      <SelectField label={t('language')} error={fe.language} value={language} onChange={setLanguage}>
        {LANGS.map((l) => <option key={l} value={l}>{l}</option>)}
      </SelectField>
      <Field label={t('mac.body')} error={bodyError} hint={t('mac.bodyHint', { example: '{{requester.name}}, {{ticket.number}}, {{agent.name}}' })}>
        {(p) => <textarea {...p} rows={6} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <label className="check"><input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />{t('mac.sharedLabel')}</label>
      <fieldset className="field">
        <legend>{t('mac.applies')}</legend>
        <SelectField label={t('mac.setStatus')} error={fe.status} value={st} onChange={setSt}>
          <option value="">{t('trg.noChange')}</option>
          {TICKET_STATUSES.map((s) => <option key={s} value={s}>{t(`pol.status.${s}`)}</option>)}
        </SelectField>
        <SelectField label={t('trg.setPriority')} error={fe.priority} value={priority} onChange={setPriority}>
          <option value="">{t('trg.noChange')}</option><Options entries={lists.priorities} />
        </SelectField>
        <SelectField label={t('trg.setType')} error={fe.type} value={type} onChange={setType}>
          <option value="">{t('trg.noChange')}</option><Options entries={lists.types} />
        </SelectField>
        <SelectField label={t('trg.setGroup')} error={fe.group_id} value={groupId} onChange={setGroupId}>
          <option value="">{t('trg.noChange')}</option>{groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </SelectField>
        <TextField label={t('trg.addTags')} hint={t('trg.valuesHint')} error={fe.tags} value={tags} onChange={setTags} />
      </fieldset>
      <ErrorBanner error={banner} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="macro-save">{t('save')}</button>
      </div>
    </form>
  );
}
