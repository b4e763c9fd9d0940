// The ticket's side conversations (docs/side-conversations.md): a lazy chunk with its words in the
// `ticket-extras` part, so no first screen pays for it. List, thread and compose.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Field } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';

type Side = { id: string; kind: 'group' | 'email'; group: { id: string; name: string } | null; external_address: string | null; subject: string; state: 'open' | 'waiting' | 'closed'; waited_minutes: number; message_count: number };
type Thread = Side & { messages: { id: string; side: 'ours' | 'theirs'; author: { name: string } | null; from_address: string | null; body_text: string; created_at: string }[] };

const ref = (r: number) => ({ params: { path: { ref: String(r) } } });
const refId = (r: number, id: string) => ({ params: { path: { ref: String(r), id } } });
const sideApi = {
  list: (r: number) => call<{ data: Side[] }>(client.GET('/api/v1/tickets/{ref}/side-conversations', ref(r))),
  get: (r: number, id: string) => call<Thread>(client.GET('/api/v1/tickets/{ref}/side-conversations/{id}', refId(r, id))),
  start: (r: number, body: { group_id?: string; email?: string; subject: string; body: string }) =>
    call<Side>(client.POST('/api/v1/tickets/{ref}/side-conversations', { ...ref(r), body })),
  write: (r: number, id: string, body: string) => call<Side>(client.POST('/api/v1/tickets/{ref}/side-conversations/{id}/messages', { ...refId(r, id), body: { body } })),
  state: (r: number, id: string, state: 'open' | 'closed') => call<Side>(client.PATCH('/api/v1/tickets/{ref}/side-conversations/{id}', { ...refId(r, id), body: { state } })),
};

export function SideConversationsPanel({ ticket, groups }: { ticket: { number: number }; groups: readonly { id: string; name: string }[] }) {
  const { t } = useTranslation('sideconv');
  const list = useLoad(['tickets', 'side-conversations', ticket.number], () => sideApi.list(ticket.number));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div className="side-conversations" data-testid="side-conversations">
      <h3>{t('title')}</h3>
      <ErrorBanner error={list.error} />
      {list.data && list.data.data.length === 0 ? <p className="muted">{t('none')}</p> : null}
      <ul className="plain-list">
        {list.data?.data.map((s) => (
          <li key={s.id}>
            <button type="button" className="link-button" aria-expanded={openId === s.id} onClick={() => setOpenId(openId === s.id ? null : s.id)} data-testid="side-item">
              {s.subject}
            </button>{' '}
            <span className="muted">{t('with', { who: s.external_address ?? s.group?.name ?? '' })} · {t(`state.${s.state}`)} · {t('waited', { count: s.waited_minutes })}</span>
            {openId === s.id ? <SideThread number={ticket.number} id={s.id} onChanged={() => void list.reload()} /> : null}
          </li>
        ))}
      </ul>
      <StartForm number={ticket.number} groups={groups} onStarted={() => void list.reload()} />
    </div>
  );
}

function SideThread({ number, id, onChanged }: { number: number; id: string; onChanged: () => void }) {
  const { t } = useTranslation('sideconv');
  const thread = useLoad(['tickets', 'side-conversation', number, id], () => sideApi.get(number, id));
  const [body, setBody] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => { await sideApi.write(number, id, body); setBody(''); await thread.reload(); onChanged(); });
  };
  const toggle = () => void run(async () => { await sideApi.state(number, id, thread.data?.state === 'closed' ? 'open' : 'closed'); await thread.reload(); onChanged(); });
  return (
    <div className="side-thread" data-testid="side-thread">
      <ol className="plain-list">
        {thread.data?.messages.map((m) => (
          <li key={m.id} className={m.side === 'theirs' ? 'side-theirs' : 'side-ours'}>
            <strong>{m.author?.name ?? m.from_address ?? ''}</strong> <span className="muted">{formatDateTime(m.created_at)}</span>
            <p>{m.body_text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <Field label={t('reply')}>{(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} required rows={3} />}</Field>
        <ErrorBanner error={error} />
        <button type="submit" disabled={busy}>{t('send')}</button>{' '}
        <button type="button" disabled={busy} onClick={toggle}>{thread.data?.state === 'closed' ? t('reopen') : t('close')}</button>
      </form>
    </div>
  );
}

function StartForm({ number, groups, onStarted }: { number: number; groups: readonly { id: string; name: string }[]; onStarted: () => void }) {
  const { t } = useTranslation('sideconv');
  const [to, setTo] = useState<'email' | 'group'>('email');
  const [email, setEmail] = useState('');
  const [groupId, setGroupId] = useState(groups[0]?.id ?? '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await sideApi.start(number, { ...(to === 'email' ? { email } : { group_id: groupId }), subject, body });
      setSubject(''); setBody(''); setEmail('');
      onStarted();
    });
  };
  return (
    <form onSubmit={submit} className="side-start" aria-label={t('start')}>
      <h4>{t('start')}</h4>
      <Field label={t('to')}>{(p) => (
        <select {...p} value={to} onChange={(e) => setTo(e.target.value === 'group' ? 'group' : 'email')}>
          <option value="email">{t('toEmail')}</option>
          <option value="group">{t('toGroup')}</option>
        </select>
      )}</Field>
      {to === 'email'
        ? <Field label={t('address')}>{(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />}</Field>
        : <Field label={t('group')}>{(p) => (
          <select {...p} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        )}</Field>}
      <Field label={t('subject')}>{(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={200} />}</Field>
      <Field label={t('message')}>{(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} required rows={3} />}</Field>
      <ErrorBanner error={error} />
      <button type="submit" disabled={busy}>{t('send')}</button>
    </form>
  );
}
