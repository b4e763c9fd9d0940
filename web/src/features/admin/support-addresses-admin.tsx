import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Group, type Lists } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ListEdit } from './list-edit.tsx';
import { MAIL_LANGUAGES, settingsApi, type SupportAddress } from './settings-api.ts';

/** Admin → Support addresses: each address mail arrives at, with the group, request type and language its new tickets get. */
export function SupportAddressesAdmin() {
  const { t } = useTranslation('admin2');
  const data = useLoad(['admin', 'support-addresses'], async () => {
    const [addresses, groups, lists] = await Promise.all([settingsApi.supportAddresses(), api.groups(), api.lists()]);
    return { addresses, groups, lists };
  });
  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { addresses, groups, lists } = data.data;
  const groupName = (id: string | null) => (id ? groups.find((g) => g.id === id)?.name ?? id : t('addr.defaultGroup'));
  const typeName = (key: string) => lists.types.find((x) => x.key === key)?.label ?? key;
  return (
    <ListEdit<SupportAddress> testId="support-addresses-admin" title={t('addr.title')} intro={<p>{t('addr.intro')}</p>} rows={addresses} reload={data.reload}
      rowKey={(a) => a.address} rowTestId={(a) => `address-row-${a.address}`} rowName={(a) => a.address} empty={t('addr.none')}
      columns={[
        { header: t('addr.address'), cell: (a) => a.address, rowHeader: true },
        { header: t('addr.group'), cell: (a) => groupName(a.group_id) },
        { header: t('addr.type'), cell: (a) => typeName(a.default_type) },
        { header: t('addr.language'), cell: (a) => t(`lang.${a.language}`, { defaultValue: a.language }) },
      ]}
      newLabel={t('addr.new')} newTestId="address-new"
      editor={({ row, saved, cancel }) => (
        <AddressEditor address={row} groups={groups} lists={lists} onCancel={cancel} onSaved={(a) => saved(t(row ? 'addr.saved' : 'addr.added', { address: a.address }))} />
      )}
      remove={{
        confirmTitle: t('addr.confirmTitle'), confirmText: (a) => t('addr.confirmText', { address: a.address }),
        run: async (a) => { await settingsApi.deleteSupportAddress(a.address); return t('addr.deleted', { address: a.address }); },
      }} />
  );
}

function AddressEditor({ address, groups, lists, onSaved, onCancel }: { address: SupportAddress | null; groups: Group[]; lists: Lists; onSaved: (a: SupportAddress) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin2');
  const [email, setEmail] = useState(address?.address ?? '');
  const [groupId, setGroupId] = useState(address?.group_id ?? '');
  const [type, setType] = useState(address?.default_type ?? lists.types[0]?.key ?? 'technical_question');
  const [language, setLanguage] = useState(address?.language ?? 'en');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  const heading = address ? t('list.editOne', { name: address.address }) : t('addr.new');
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => onSaved(await settingsApi.saveSupportAddress({
      address: email.trim(), group_id: groupId || null, default_type: type, language: language as (typeof MAIL_LANGUAGES)[number],
    })));
  }
  return (
    <form ref={formRef} className="panel" noValidate onSubmit={submit} aria-label={heading} data-testid="address-editor">
      <h3>{heading}</h3>
      {/* The address is the key: changing it is removing one and adding another. */}
      <TextField label={t('addr.address')} type="email" error={fe.address} value={email} onChange={setEmail} disabled={!!address} data-testid="address-email" />
      <SelectField label={t('addr.group')} error={fe.group_id} value={groupId} onChange={setGroupId}>
        <option value="">{t('addr.defaultGroup')}</option>
        {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </SelectField>
      <SelectField label={t('addr.type')} error={fe.default_type} value={type} onChange={setType}><Options entries={lists.types} /></SelectField>
      <SelectField label={t('addr.language')} hint={t('addr.languageHint')} error={fe.language} value={language} onChange={setLanguage}>
        {MAIL_LANGUAGES.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
      </SelectField>
      <ErrorBanner error={bannerError(error, ['address', 'group_id', 'default_type', 'language'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('list.cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="address-save">{t('list.save')}</button>
      </div>
    </form>
  );
}
