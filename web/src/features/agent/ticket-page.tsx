import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  api,
  ApiError,
  isTicketStatus,
  REQUEST_TYPES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type ListEntry,
  type Lists,
  type PresencePerson,
  type Ticket,
  type TicketPatch,
  type User,
} from '../../lib/api.ts';
import { formatDateTime, formatWhen } from '../../lib/format.ts';
import { keys, useLoad, useNow } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { Timeline } from '../../app/timeline.tsx';
import { Badge, ErrorBanner, Field, Loading, SelectField, priorityTone, statusTone } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { nextInQueue } from './queue-order.ts';
import { NextDue, SlaPanel } from './sla.tsx';
import { PromiseEditor, PromiseTimes } from './promise-editor.tsx';
import { ArticleFromReply, MacroPicker, ReplyKbSuggestions, StagedMacroNote, type StagedMacro } from './reply-tools.tsx';
import { StartWorkButton } from './start-work.tsx';
import { AttachFiles, useAttachments } from '../attachments/attach-files.tsx';
import { isTyping } from './typing.ts';
import { Disclosure, Picker, Tabs } from '../../app/primitives.tsx';
import { useOnFirstUse } from '../../app/first-use.ts';
import { withWords } from '../../i18n/i18n.ts';
import { PageBoundary } from '../../app/page-boundary.tsx';

// The side panel's other tabs are their own chunks (the triage tab with its words), fetched when the page is first
// used (or the tab opened).
const triagePanel = () => withWords(import('../triage/triage-panel.tsx'), 'triage');
// The shortcuts' help is a dialog opened with "?": fetched then, as on the queue page.
const ShortcutsHelp = lazy(async () => ({ default: (await import('./shortcuts-help.tsx')).ShortcutsHelp }));
const ticketTools = () => withWords(import('./ticket-tools.tsx'), 'ticket-extras');
// Side conversations: their own chunk and words (`ticket-extras`), fetched when the tab opens.
const SideConversationsPanel = lazy(async () => ({ default: (await withWords(import('../sideconv/side-panel.tsx'), 'ticket-extras')).SideConversationsPanel }));
const TriagePanel = lazy(async () => ({ default: (await triagePanel()).TriagePanel }));
const TicketTools = lazy(async () => ({ default: (await ticketTools()).TicketTools }));
const preloadSidePanels = () => void Promise.all([triagePanel(), ticketTools()]).catch(() => undefined);

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch {
    return null;
  }
}

export function TicketRoute() {
  const { number = '' } = useParams();
  return <TicketPage key={number} number={number} />;
}


const PRESENCE_PING_MS = 10_000;
const SIDE_TAB_KEY = 'rb_ticket_tab';
function readSideTab(): string {
  try {
    return sessionStorage.getItem(SIDE_TAB_KEY) ?? 'sla';
  } catch {
    return 'sla';
  }
}

/** Tells the server this agent is here (and when typing), and reads who else is, kept fresh by live events. */
function usePresence(number: string, enabled: boolean): { others: PresencePerson[]; typing: () => void } {
  const qc = useQueryClient();
  const { principal } = useSession();
  const lastTyping = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const ping = (state: 'viewing' | 'left') =>
      api.presence(number, state).then((r) => state === 'viewing' && qc.setQueryData(['presence', number], [...r.others]), () => undefined);
    void ping('viewing');
    const tm = window.setInterval(() => void ping('viewing'), PRESENCE_PING_MS);
    return () => {
      window.clearInterval(tm);
      void ping('left');
    };
  }, [number, enabled, qc]);
  const people = useQuery<PresencePerson[]>({ queryKey: ['presence', number], queryFn: () => [], enabled: false, initialData: [] });
  return {
    others: (people.data ?? []).filter((p) => p.user_id !== principal?.id),
    typing: () => {
      if (Date.now() - lastTyping.current < 3000) return;
      lastTyping.current = Date.now();
      void api.presence(number, 'typing').catch(() => undefined);
    },
  };
}

export function TicketPage({ number }: { number: string }) {
  const { t } = useTranslation('workspace');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { principal } = useSession();
  const ticket = useLoad(keys.ticket(number), () => api.ticket(number));
  const timeline = useLoad(keys.timeline(number), () => api.timeline(number));
  const attachments = useLoad(keys.attachments(number), () => api.attachments(number));
  const meta = useLoad(['ticket-meta'], async () => {
    const [lists, groups, users] = await Promise.all([optional(api.lists()), optional(api.groups()), optional(api.users())]);
    return { lists, groups: groups ?? [], users: users ?? [] };
  });
  const now = useNow(1000);
  useOnFirstUse(preloadSidePanels);
  const tk = ticket.data;
  const presence = usePresence(number, !!tk);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<'public' | 'internal'>('public');
  const [help, setHelp] = useState(false);
  const [sideTab, setSideTab] = useState(() => readSideTab());
  const chooseSideTab = (key: string) => {
    setSideTab(key);
    try {
      sessionStorage.setItem(SIDE_TAB_KEY, key);
    } catch {
      // not remembered: the next ticket opens on the clocks
    }
  };
  usePageTitle(tk ? `${tk.display_number} ${tk.subject}` : t('ticket.title'));

  async function assignToMe() {
    if (!tk || !principal) return;
    const updated = await api.updateTicket(tk.number, { assignee_id: principal.id });
    qc.setQueryData(keys.ticket(number), updated);
    await qc.invalidateQueries({ queryKey: keys.tickets });
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || help) return;
      if (e.key === '?') setHelp(true);
      else if ((e.key === 'r' || e.key === 'n') && tk && tk.status !== 'closed') {
        setMode(e.key === 'r' ? 'public' : 'internal');
        window.setTimeout(() => composerRef.current?.focus(), 0);
      } else if (e.key === 'a') void assignToMe();
      else if (e.key === ']' || e.key === 'j') {
        const next = nextInQueue(Number(number));
        if (next !== null && next !== Number(number)) void navigate(`/tickets/${next}`);
      } else if (e.key === 'u' || e.key === 'Escape') void navigate(-1);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  if (ticket.error instanceof ApiError && ticket.error.status === 404) {
    return (
      <>
        <h1>{t('ticket.notFound')}</h1>
        <p className="muted">{t('ticket.notFoundText', { number })}</p>
        <Link to="/" className="button">{t('ticket.back')}</Link>
      </>
    );
  }
  if (!tk) return ticket.error ? <ErrorBanner error={ticket.error} /> : <Loading />;

  const names: Record<string, string> = {};
  for (const g of meta.data?.groups ?? []) names[g.id] = g.name;
  for (const u of meta.data?.users ?? []) names[u.id] = u.name;
  if (tk.group) names[tk.group.id] = tk.group.name;
  if (tk.assignee) names[tk.assignee.id] = tk.assignee.name;

  async function afterChange(updated?: Ticket) {
    if (updated) ticket.setData(updated);
    await qc.invalidateQueries({ queryKey: keys.tickets });
  }

  /** Reloads the ticket and its timeline after a change made elsewhere (macro fields, promise). */
  async function refresh() {
    await Promise.all([ticket.reload(), timeline.reload()]);
    await qc.invalidateQueries({ queryKey: keys.tickets });
  }

  return (
    <div className="ticket-page" data-testid="ticket-page" data-number={tk.number}>
      <p className="crumbs">
        <Link to="/">← {t('ticket.back')}</Link> ·{' '}
        <button type="button" className="link-button kbd-help small" onClick={() => setHelp(true)} data-testid="shortcuts-button">{t('display:shortcuts.button')}</button>
      </p>
      {help ? <Suspense fallback={null}><ShortcutsHelp open onClose={() => setHelp(false)} page="ticket" /></Suspense> : null}
      {presence.others.length > 0 ? (
        <div className="banner banner-warn" role="status" data-testid="collision-notice">
          {presence.others.map((p) => t(p.state === 'typing' ? 'presence.typing' : 'presence.viewing', { name: p.name })).join(' · ')}
        </div>
      ) : null}
      {tk.sender_unverified ? (
        <div className="banner banner-warn" role="alert" data-testid="sender-unverified">{t('ticket.senderUnverified', { email: tk.requester.email })}</div>
      ) : null}
      <header className="ticket-head">
        <p className="eyebrow">
          <span data-testid="ticket-display-number">{tk.display_number}</span> · {t(`channel.${tk.channel}`, { defaultValue: tk.channel })} ·{' '}
          <span className="as-written">{t('ticket.opened', { when: formatDateTime(tk.created_at) })}</span>
        </p>
        <h1 data-testid="ticket-subject">{tk.subject}</h1>
        <p className="ticket-meta">
          <Badge tone={statusTone(tk.status)} testId="ticket-status">{t(`status.${tk.status}`, { defaultValue: tk.status })}</Badge>{' '}
          <Badge tone={priorityTone(tk.priority)} testId="ticket-priority">{t(`priority.${tk.priority}`, { defaultValue: tk.priority })}</Badge>{' '}
          <StartWorkButton ticket={tk} onDone={refresh} />
        </p>
        {tk.status === 'closed' ? null : <NextDue sla={tk.sla} now={now} testId="next-due-head" />}
      </header>
      <div className="ticket-grid">
        <div className="ticket-main">
          <section className="panel" aria-labelledby="conv-h">
            <h2 id="conv-h">{t('ticket.conversation')}</h2>
            <ErrorBanner error={timeline.error} />
            {timeline.data ? (
              <Timeline entries={timeline.data.data} audience="staff" names={names} attachments={attachments.data?.data} ticketRef={number}
                messageAction={(m) => (
                  <>
                    {m.body_quoted ? <QuotedText text={m.body_quoted} /> : null}
                    {m.kind === 'public' && m.author.kind === 'user' ? <ArticleFromReply ticket={tk} messageId={m.id} /> : null}
                  </>
                )} />
            ) : timeline.error ? null : <Loading />}
          </section>
          {tk.status === 'closed' ? (
            <FollowUp ticket={tk} />
          ) : (
            <Composer ticket={tk} mode={mode} setMode={setMode} textRef={composerRef} onTyping={presence.typing} onSent={() => afterChange()}
              onFieldsChanged={() => void refresh()} nextDue={<NextDue sla={tk.sla} now={now} />} />
          )}
        </div>
        {/* Review 2026-12-07 item 31: the page was 3,300 px tall with every panel expanded in one column. Properties stay
            beside the conversation; the clocks, triage and the tools share one tabbed panel (the choice is remembered
            while the agent moves between tickets); the next clock due sits on the reply box. */}
        <aside className="ticket-side">
          <Requester ticket={tk} />
          <Properties ticket={tk} lists={meta.data?.lists ?? null} groups={meta.data?.groups ?? []} users={meta.data?.users ?? []}
            onSaved={(u) => void afterChange(u)} />
          <section className="panel side-tabs">
            <Tabs testId="ticket-tab" label={t('display:ticketTabs.label')} selected={sideTab} onSelect={chooseSideTab} tabs={[
              { key: 'sla', label: t('display:ticketTabs.sla'), panel: <SlaPanel sla={tk.sla} now={now} promise={<><PromiseTimes promise={tk.promise} /><PromiseEditor ticket={tk} onChanged={() => void refresh()} /></>} /> },
              { key: 'triage', label: t('display:ticketTabs.triage'), panel: <PageBoundary><TriagePanel ticket={tk} onChanged={(u) => void afterChange(u)} /></PageBoundary> },
              { key: 'tools', label: t('display:ticketTabs.tools'), panel: <PageBoundary><TicketTools ticket={tk} onChanged={(u) => void (u ? afterChange(u) : refresh())} /></PageBoundary> },
              { key: 'side', label: t('display:ticketTabs.side'), panel: <PageBoundary><SideConversationsPanel ticket={tk} groups={meta.data?.groups ?? []} /></PageBoundary> },
            ]} />
          </section>
        </aside>
      </div>
    </div>
  );
}

/** The quoted history folded off an e-mail, behind a toggle (a disclosure: the button says whether it is open). */
function QuotedText({ text }: { text: string }) {
  const { t } = useTranslation('workspace');
  return (
    <Disclosure className="tl-quoted" buttonClassName="link-button small" buttonTestId="quoted-toggle" panelAs="blockquote"
      panelClassName="tl-quoted-text data" panelTestId="quoted-text" button={(open) => (open ? t('ticket.hideQuoted') : t('ticket.showQuoted'))}>
      {text}
    </Disclosure>
  );
}

function Requester({ ticket: tk }: { ticket: Ticket }) {
  const { t } = useTranslation('workspace');
  const others = useLoad(['tickets', 'related', tk.requester.id], () => api.tickets({ requester_id: tk.requester.id, view: 'all', sort: '-updated_at', limit: 10 }));
  // A few of the latest: the full history is one click away in the list filtered by this requester.
  const rest = (others.data?.data ?? []).filter((o) => o.id !== tk.id).slice(0, 4);
  return (
    <section className="panel" aria-labelledby="req-h" data-testid="requester-panel">
      <h2 id="req-h">{t('requester.title')}</h2>
      <p data-testid="ticket-requester">
        <strong>{tk.requester.name || tk.requester.email}</strong>
        {tk.requester.name ? <span className="muted small"> &lt;{tk.requester.email}&gt;</span> : null}
      </p>
      {tk.organization ? (
        <p>
          {t('requester.organization')}: {tk.organization.name}{' '}
          <Badge tone={tk.organization.tier === 'standard' ? 'muted' : 'purple'} testId="org-tier">{t(`tier.${tk.organization.tier}`, { defaultValue: tk.organization.tier })}</Badge>
        </p>
      ) : null}
      <h3 className="small">{t('requester.otherTickets')}</h3>
      {rest.length === 0 ? <p className="muted small">{t('requester.none')}</p> : (
        <ul className="related" data-testid="requester-tickets">
          {rest.map((o) => (
            <li key={o.id}>
              <Link to={`/tickets/${o.number}`}>{o.display_number} {o.subject}</Link>{' '}
              <Badge tone={statusTone(o.status)}>{t(`status.${o.status}`, { defaultValue: o.status })}</Badge>{' '}
              <span className="muted small">{formatWhen(o.updated_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FollowUp({ ticket: tk }: { ticket: Ticket }) {
  const { t } = useTranslation('workspace');
  const navigate = useNavigate();
  const [body, setBody] = useState('');
  const { busy, error, run } = useSubmit();
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const created = await api.followUp(tk.number, body);
      void navigate(`/tickets/${created.number}`);
    });
  }
  return (
    <section className="panel" aria-labelledby="fu-h" data-testid="follow-up">
      <h2 id="fu-h">{t('followUp.title')}</h2>
      <p className="muted">{t('followUp.closed')}</p>
      <form onSubmit={submit}>
        <Field label={t('followUp.message')}>
          {(p) => <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} data-testid="follow-up-body" />}
        </Field>
        <ErrorBanner error={error} />
        <button className="button primary" type="submit" disabled={busy || !body.trim()} data-testid="follow-up-submit">{t('followUp.submit')}</button>
      </form>
    </section>
  );
}

type ComposerProps = {
  ticket: Ticket;
  mode: 'public' | 'internal';
  setMode: (m: 'public' | 'internal') => void;
  textRef: React.RefObject<HTMLTextAreaElement | null>;
  onTyping: () => void;
  onSent: () => Promise<void>;
  onFieldsChanged: () => void;
  /** The clock that matters now, shown on the reply box. */
  nextDue?: React.ReactNode;
};

function Composer({ ticket, mode, setMode, textRef, onTyping, onSent, onFieldsChanged, nextDue }: ComposerProps) {
  const { t } = useTranslation('workspace');
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [sent, setSent] = useState(false);
  const files = useAttachments();
  // A macro's field changes wait for the reply they belong to (review 2026-12-07, item 14): sent together.
  const [staged, setStaged] = useState<StagedMacro | null>(null);

  /** Puts text at the cursor (or the end) of the reply and focuses it. */
  function insertText(text: string) {
    const el = textRef.current;
    const at = el && document.activeElement === el ? el.selectionStart : body.length;
    const before = body.slice(0, at);
    const sep = before && !before.endsWith('\n') ? '\n' : '';
    setBody(`${before}${sep}${text}${body.slice(at)}`);
    setSent(false);
    window.setTimeout(() => el?.focus(), 0);
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setSent(false);
    await run(async () => {
      const uploads = await files.toUpload();
      await api.postMessage(ticket.number, body, mode, isTicketStatus(status) ? status : undefined, uploads, staged?.id);
      const changedFields = staged !== null && Object.keys(staged.actions).length > 0;
      setBody('');
      setStatus('');
      setStaged(null);
      files.clear();
      if (changedFields) onFieldsChanged();
      setSent(true);
      await onSent();
    }, (err) => {
      // A refused file is named beside it; anything else in the banner.
      if (!files.showServerErrors(err)) setError(err);
    });
  }

  return (
    <section className={`panel composer composer-${mode}`} data-testid="composer" aria-label={t('composer.label')}>
      {nextDue}
      <form onSubmit={send}>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('composer.kind')}</legend>
          <label className={mode === 'public' ? 'on' : ''}>
            <input type="radio" name="kind" value="public" checked={mode === 'public'} onChange={() => setMode('public')} data-testid="mode-public" />
            {t('composer.public')}
          </label>
          <label className={mode === 'internal' ? 'on' : ''}>
            <input type="radio" name="kind" value="internal" checked={mode === 'internal'} onChange={() => setMode('internal')} data-testid="mode-internal" />
            {t('composer.internal')}
          </label>
        </fieldset>
        <Field label={mode === 'public' ? t('composer.replyTo', { name: ticket.requester.name || ticket.requester.email }) : t('composer.noteLabel')}>
          {(p) => (
            <textarea {...p} ref={textRef} name="body" rows={6} value={body} data-testid="composer-body"
              onChange={(e) => {
                setBody(e.target.value);
                setSent(false);
                onTyping();
              }} />
          )}
        </Field>
        <AttachFiles state={files} testId="composer-attach" />
        {staged ? <StagedMacroNote macro={staged} onRemove={() => setStaged(null)} /> : null}
        <ErrorBanner error={error} />
        <div className="actions">
          <label className="inline">
            <span>{t('composer.andStatus')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="composer-status">
              <option value="">{t('composer.unchanged')}</option>
              {TICKET_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
            </select>
          </label>
          <button className="button primary" type="submit" disabled={busy || !body.trim()} data-testid="composer-send">
            {busy ? t('composer.sending') : mode === 'public' ? t('composer.sendReply') : t('composer.addNote')}
          </button>
          {sent ? <span className="muted small" role="status" data-testid="composer-sent">{t('composer.sent')}</span> : null}
        </div>
      </form>
      <div className="reply-tools">
        <MacroPicker ticket={ticket} onInsert={insertText} onStage={setStaged} />
        <ReplyKbSuggestions ticket={ticket} onInsert={insertText} />
      </div>
    </section>
  );
}

type PropsPanel = {
  ticket: Ticket;
  lists: Lists | null;
  groups: { id: string; name: string }[];
  users: User[];
  onSaved: (t: Ticket) => void;
};

function listOr(entries: ListEntry[] | undefined, keysOf: readonly string[], current: string | null): string[] {
  const base = entries?.length ? entries.map((e) => e.key) : [...keysOf];
  return current && !base.includes(current) ? [...base, current] : base;
}

function Properties({ ticket, lists, groups, users, onSaved }: PropsPanel) {
  const { t } = useTranslation('workspace');
  const [saving, setSaving] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [tags, setTags] = useState(ticket.tags.join(', '));
  const [who, setWho] = useState('');
  useEffect(() => setTags(ticket.tags.join(', ')), [ticket.tags]);

  async function save(field: string, patch: TicketPatch) {
    setSaving(field);
    setSaved(null);
    setError(undefined);
    try {
      const updated = await api.updateTicket(ticket.number, patch);
      setSaved(field);
      onSaved(updated);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(null);
    }
  }

  const closed = ticket.status === 'closed';
  const disabled = saving !== null || closed;
  const active = users.filter((u) => u.active || u.id === ticket.assignee?.id);
  // The people a ticket can go to, found by typing part of a name (a combobox scales to hundreds of agents).
  const assignees = ticket.assignee && !active.some((u) => u.id === ticket.assignee?.id) ? [ticket.assignee, ...active] : active;
  const groupOpts = ticket.group && !groups.some((g) => g.id === ticket.group?.id) ? [...groups, ticket.group] : groups;
  const fieldName = (f: string) => t(`properties.${f}`);
  return (
    <section className="panel properties" data-testid="properties" aria-labelledby="props-h">
      <h2 id="props-h">{t('properties.title')}</h2>
      <SelectField label={fieldName('status')} data-testid="field-status" value={ticket.status} disabled={disabled}
        onChange={(v) => void (isTicketStatus(v) && save('status', { status: v }))}>
        {TICKET_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
      </SelectField>
      <SelectField label={fieldName('priority')} data-testid="field-priority" value={ticket.priority} disabled={disabled}
        onChange={(v) => void save('priority', { priority: v })}>
        {listOr(lists?.priorities, TICKET_PRIORITIES, ticket.priority).map((p) => (
          <option key={p} value={p}>{t(`priority.${p}`, { defaultValue: lists?.priorities.find((e) => e.key === p)?.label ?? p })}</option>
        ))}
      </SelectField>
      <SelectField label={fieldName('type')} data-testid="field-type" value={ticket.type ?? ''} disabled={disabled}
        onChange={(v) => void save('type', { type: v })}>
        {ticket.type ? null : <option value="">—</option>}
        {listOr(lists?.types, REQUEST_TYPES, ticket.type).map((k) => (
          <option key={k} value={k}>{t(`type.${k}`, { defaultValue: lists?.types.find((e) => e.key === k)?.label ?? k })}</option>
        ))}
      </SelectField>
      <SelectField label={fieldName('group')} data-testid="field-group" value={ticket.group?.id ?? ''} disabled={disabled}
        onChange={(v) => void save('group', { group_id: v || null })}>
        <option value="">{t('properties.noGroup')}</option>
        {groupOpts.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </SelectField>
      <Picker<string> label={fieldName('assignee')} testId="field-assignee" value={ticket.assignee?.id ?? ''} disabled={disabled}
        display={(id) => (id ? (assignees.find((u) => u.id === id)?.name ?? ticket.assignee?.name ?? '') : t('queue.unassigned'))}
        onQuery={setWho} onChange={(id) => void (id !== (ticket.assignee?.id ?? '') && save('assignee', { assignee_id: id || null }))}
        empty={t('properties.noMatch')}
        options={[
          ...(who.trim() ? [] : [{ value: '', label: t('queue.unassigned'), testId: 'assignee-option' }]),
          ...assignees.filter((u) => u.name.toLowerCase().includes(who.trim().toLowerCase()))
            .map((u) => ({ value: u.id, label: u.name, testId: 'assignee-option' })),
        ]} />
      <form onSubmit={(e) => {
        e.preventDefault();
        void save('tags', { tags: tags.split(',').map((x) => x.trim()).filter(Boolean) });
      }}>
        <Field label={fieldName('tags')} hint={t('properties.tagsHint')}>
          {(p) => <input {...p} value={tags} disabled={disabled} onChange={(e) => setTags(e.target.value)} data-testid="field-tags" />}
        </Field>
      </form>
      <ErrorBanner error={error} />
      <p className="muted small" role="status" data-testid="properties-status">
        {saving ? t('properties.saving', { field: fieldName(saving) }) : saved ? t('properties.saved', { field: fieldName(saved) }) : '\u00a0'}
      </p>
    </section>
  );
}
