import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Picker } from '../../app/primitives.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Field, Options, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { api, call, client, type Contact, type Ticket } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from '../admin/forms.ts';

/** Where the request came from: what agents record for a call, a forwarded mail, or anything else. */
const STAFF_CHANNELS = ['phone', 'email', 'web_form', 'portal', 'api'] as const;
const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
const FIELDS = ['subject', 'message', 'type', 'priority', 'urgency', 'group_id', 'assignee_id', 'channel', 'requester', 'requester.email', 'requester.name', 'requester_id'];

/**
 * An agent opens a ticket on a customer's behalf (review 2026-12-07, item 21): a phone call, a mail that reached
 * someone's own inbox. The requester is an existing contact (search) or a new e-mail and name; the channel is
 * recorded; the acknowledgement goes out unless the agent unticks it. It is POST /api/v1/tickets, like API callers.
 */
export function NewTicketPage() {
  const { t } = useTranslation('agentday');
  usePageTitle(t('newTicket.title'));
  const navigate = useNavigate();
  const meta = useLoad(['ticket-meta', 'new'], async () => {
    const [lists, groups, users] = await Promise.all([api.lists(), api.groups(), api.users()]);
    return { lists, groups, users: users.filter((u) => u.active) };
  });
  const [q, setQ] = useState('');
  const contacts = useLoad(['contacts', 'pick', q], () => api.contacts(q), { enabled: q.trim().length >= 2 });
  const [contact, setContact] = useState<Contact | null>(null);
  const [newRequester, setNewRequester] = useState(false);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [type, setType] = useState('');
  const [priority, setPriority] = useState('normal');
  const [urgency, setUrgency] = useState('normal');
  const { principal } = useSession();
  const [groupTouched, setGroupTouched] = useState(false);
  const [groupChoice, setGroupId] = useState('');
  // An agent's ticket starts in the agent's own (first) group, so they can see and work it; they may pick another.
  const myGroup = meta.data?.users.find((u) => u.id === principal?.id)?.group_ids[0] ?? '';
  const groupId = groupTouched ? groupChoice : myGroup;
  const [assigneeId, setAssigneeId] = useState('');
  const [channel, setChannel] = useState<(typeof STAFF_CHANNELS)[number]>('phone');
  const [acknowledge, setAcknowledge] = useState(true);
  const { busy, error, run } = useSubmit();
  const errors = fieldErrorsOf(error);
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const lists = meta.data?.lists;

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const requester = newRequester || !contact ? { requester: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) } } : { requester_id: contact.id };
      const created = await call<Ticket>(client.POST('/api/v1/tickets', {
        body: {
          subject, message, channel, acknowledge, priority, urgency: URGENCIES.find((u) => u === urgency) ?? 'normal', ...requester,
          ...(type ? { type } : {}), ...(groupId ? { group_id: groupId } : {}), ...(assigneeId ? { assignee_id: assigneeId } : {}),
        },
      }));
      navigate(`/tickets/${created.number}`);
    });
  }

  const requesterError = errors.requester_id ?? errors.requester;
  return (
    <>
      <p className="crumbs"><Link to="/">← {t('newTicket.back')}</Link></p>
      <h1>{t('newTicket.title')}</h1>
      <p className="muted">{t('newTicket.intro')}</p>
      <ErrorBanner error={meta.error} />
      <form className="new-ticket-form panel" onSubmit={(e) => void submit(e)} ref={formRef} noValidate data-testid="new-ticket-form">
        <fieldset>
          <legend>{t('newTicket.requester')}</legend>
          {!newRequester ? (
            <>
              <Picker<Contact | null> label={t('newTicket.findContact')} testId="new-ticket-contact" value={contact} display={(c) => (c ? `${c.name} <${c.email}>` : '')}
                onQuery={setQ} onChange={setContact} empty={q.trim().length >= 2 && contacts.data ? t('newTicket.noContact') : undefined}
                options={(contacts.data ?? []).slice(0, 10).map((c) => ({ value: c, label: c.name || c.email, detail: c.email, testId: 'new-ticket-contact-option' }))} />
              {requesterError ? <p className="field-error small" role="alert">{requesterError}</p> : null}
              <button type="button" className="link-button" onClick={() => setNewRequester(true)} data-testid="new-ticket-new-contact">{t('newTicket.newContact')}</button>
            </>
          ) : (
            <>
              <div className="row">
                <TextField label={t('newTicket.email')} type="email" value={email} onChange={setEmail} error={errors['requester.email'] ?? errors.requester} data-testid="new-ticket-email" autoComplete="off" />
                <TextField label={t('newTicket.name')} value={name} onChange={setName} error={errors['requester.name']} data-testid="new-ticket-name" autoComplete="off" />
              </div>
              <button type="button" className="link-button" onClick={() => setNewRequester(false)}>{t('newTicket.existingContact')}</button>
            </>
          )}
        </fieldset>
        <TextField label={t('newTicket.subject')} value={subject} onChange={setSubject} error={errors.subject} data-testid="new-ticket-subject" />
        <Field label={t('newTicket.message')} error={errors.message} hint={t('newTicket.messageHint')}>
          {(p) => <textarea {...p} rows={6} value={message} onChange={(e) => setMessage(e.target.value)} data-testid="new-ticket-message" />}
        </Field>
        <div className="row">
          <SelectField label={t('newTicket.channel')} value={channel} onChange={(v) => setChannel(STAFF_CHANNELS.find((c) => c === v) ?? 'phone')} error={errors.channel} data-testid="new-ticket-channel">
            {STAFF_CHANNELS.map((c) => <option key={c} value={c}>{t(`workspace:channel.${c}`)}</option>)}
          </SelectField>
          <SelectField label={t('newTicket.type')} value={type} onChange={setType} error={errors.type} data-testid="new-ticket-type">
            <option value="">{t('newTicket.typeDefault')}</option>
            {lists ? <Options entries={lists.types} /> : null}
          </SelectField>
          <SelectField label={t('newTicket.priority')} value={priority} onChange={setPriority} error={errors.priority} data-testid="new-ticket-priority">
            {lists ? <Options entries={lists.priorities} /> : <option value="normal">normal</option>}
          </SelectField>
          <SelectField label={t('newTicket.urgency')} value={urgency} onChange={setUrgency} error={errors.urgency} data-testid="new-ticket-urgency">
            {URGENCIES.map((u) => <option key={u} value={u}>{t(`customer:promise.urgencies.${u}`, { defaultValue: u })}</option>)}
          </SelectField>
        </div>
        <div className="row">
          <SelectField label={t('newTicket.group')} value={groupId} onChange={(v) => { setGroupTouched(true); setGroupId(v); }} error={errors.group_id} data-testid="new-ticket-group">
            <option value="">{t('newTicket.groupDefault')}</option>
            {(meta.data?.groups ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </SelectField>
          <SelectField label={t('newTicket.assignee')} value={assigneeId} onChange={setAssigneeId} error={errors.assignee_id} data-testid="new-ticket-assignee">
            <option value="">{t('newTicket.assigneeDefault')}</option>
            {(meta.data?.users ?? []).filter((u) => !groupId || u.group_ids.includes(groupId)).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
        </div>
        <label className="inline">
          <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} data-testid="new-ticket-acknowledge" />
          <span>{t('newTicket.acknowledge')}</span>
        </label>
        <ErrorBanner error={bannerError(error, FIELDS)} />
        <div className="actions">
          <button className="button primary" type="submit" disabled={busy} data-testid="new-ticket-submit">{busy ? t('newTicket.creating') : t('newTicket.create')}</button>
        </div>
      </form>
    </>
  );
}
