import { useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  REQUEST_TYPES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type ListEntry,
  type Lists,
  type Ticket,
  type TicketPatch,
  type User,
} from '../../lib/api.ts';
import { CHANNEL_LABELS, REQUEST_TYPE_LABELS, STATUS_LABELS, formatDateTime, label } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useAsync, useNow } from '../../lib/use-async.ts';
import { Timeline } from '../../app/timeline.tsx';
import { Badge, ErrorBanner, Field, Loading, Options, SelectField, priorityTone, statusTone } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { SlaPanel } from './sla.tsx';

function fallback(keys: readonly string[], labels: Record<string, string> = {}): ListEntry[] {
  return keys.map((k) => ({ key: k, label: labels[k] ?? label(k) }));
}

function withCurrent(entries: ListEntry[], current: string | null): ListEntry[] {
  if (!current || entries.some((e) => e.key === current)) return entries;
  return [...entries, { key: current, label: label(current) }];
}

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch {
    return null;
  }
}

export function TicketPage({ number }: { number: string }) {
  const ticket = useAsync(() => api.ticket(number), [number]);
  const timeline = useAsync(() => api.timeline(number), [number]);
  const meta = useAsync(
    async () => {
      const [lists, groups, users] = await Promise.all([
        optional(api.lists()),
        optional(api.groups()),
        optional(api.users()),
      ]);
      return { lists, groups: groups ?? [], users: users ?? [] };
    },
    [],
  );
  const now = useNow(15_000);

  if (ticket.error instanceof ApiError && ticket.error.status === 404) {
    return (
      <>
        <h1>Ticket not found</h1>
        <p className="muted">Ticket {number} does not exist or is not in your groups.</p>
        <Link to="/" className="button">
          Back to the queue
        </Link>
      </>
    );
  }
  const t = ticket.data;
  if (!t) return ticket.error ? <ErrorBanner error={ticket.error} /> : <Loading />;

  const names: Record<string, string> = {};
  for (const g of meta.data?.groups ?? []) names[g.id] = g.name;
  for (const u of meta.data?.users ?? []) names[u.id] = u.name;
  if (t.group) names[t.group.id] = t.group.name;
  if (t.assignee) names[t.assignee.id] = t.assignee.name;

  async function afterChange(updated?: Ticket) {
    if (updated) ticket.setData(updated);
    await Promise.all([timeline.reload(), updated ? Promise.resolve() : ticket.reload()]);
  }

  return (
    <div className="ticket-page" data-testid="ticket-page" data-number={t.number}>
      <p className="crumbs">
        <Link to="/">← Queue</Link>
      </p>
      <header className="ticket-head">
        <p className="eyebrow">
          <span data-testid="ticket-display-number">{t.display_number}</span> · {label(t.channel, CHANNEL_LABELS)} · opened{' '}
          {formatDateTime(t.created_at)}
        </p>
        <h1 data-testid="ticket-subject">{t.subject}</h1>
        <p className="ticket-meta">
          <span data-testid="ticket-requester">
            <strong>{t.requester.name || t.requester.email}</strong>
            {t.requester.name ? <span className="muted"> &lt;{t.requester.email}&gt;</span> : null}
          </span>
          {t.organization ? (
            <span>
              {' '}
              · {t.organization.name}{' '}
              <Badge tone={t.organization.tier === 'standard' ? 'muted' : 'purple'} testId="org-tier">
                {label(t.organization.tier, meta.data?.lists?.tiers)}
              </Badge>
            </span>
          ) : null}
          <span>
            {' '}
            <Badge tone={statusTone(t.status)} testId="ticket-status">
              {STATUS_LABELS[t.status] ?? label(t.status)}
            </Badge>{' '}
            <Badge tone={priorityTone(t.priority)} testId="ticket-priority">
              {label(t.priority, meta.data?.lists?.priorities)}
            </Badge>
          </span>
        </p>
      </header>
      <div className="ticket-grid">
        <div className="ticket-main">
          <section className="panel">
            <h2>Timeline</h2>
            <ErrorBanner error={timeline.error} />
            {timeline.data ? (
              <Timeline entries={timeline.data.data} audience="staff" names={names} />
            ) : timeline.error ? null : (
              <Loading />
            )}
          </section>
          <Composer ticket={t} statuses={statusOptions(meta.data?.lists ?? null, t)} onSent={() => afterChange()} />
        </div>
        <aside className="ticket-side">
          <Properties ticket={t} lists={meta.data?.lists ?? null} groups={meta.data?.groups ?? []}
            users={meta.data?.users ?? []} onSaved={(u) => void afterChange(u)} />
          <SlaPanel sla={t.sla} now={now} />
        </aside>
      </div>
    </div>
  );
}

function statusOptions(lists: Lists | null, t: Ticket): ListEntry[] {
  const base = lists && lists.statuses.length ? lists.statuses : fallback(TICKET_STATUSES, STATUS_LABELS);
  return withCurrent(base, t.status);
}

function Composer({ ticket, statuses, onSent }: { ticket: Ticket; statuses: ListEntry[]; onSent: () => Promise<void> }) {
  const [mode, setMode] = useState<'public' | 'internal'>('public');
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  const { busy, error, run } = useSubmit();
  const [sent, setSent] = useState(false);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setSent(false);
    await run(async () => {
      await api.postMessage(ticket.number, body, mode, status || undefined);
      setBody('');
      setStatus('');
      setSent(true);
      await onSent();
    });
  }

  return (
    <section className={`panel composer composer-${mode}`} data-testid="composer">
      <form onSubmit={send}>
        <div className="segmented" role="radiogroup" aria-label="Message kind">
          <label className={mode === 'public' ? 'on' : ''}>
            <input type="radio" name="kind" value="public" checked={mode === 'public'}
              onChange={() => setMode('public')} data-testid="mode-public" />
            Public reply
          </label>
          <label className={mode === 'internal' ? 'on' : ''}>
            <input type="radio" name="kind" value="internal" checked={mode === 'internal'}
              onChange={() => setMode('internal')} data-testid="mode-internal" />
            Internal note
          </label>
        </div>
        <Field label={mode === 'public' ? `Reply to ${ticket.requester.name || ticket.requester.email}` : 'Internal note (only staff can see it)'}>
          {(p) => (
            <textarea {...p} name="body" rows={6} value={body} data-testid="composer-body"
              onChange={(e) => {
                setBody(e.target.value);
                setSent(false);
              }} />
          )}
        </Field>
        <ErrorBanner error={error} />
        <div className="actions">
          <label className="inline">
            <span>and set status</span>
            <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="composer-status">
              <option value="">(unchanged)</option>
              <Options entries={statuses} />
            </select>
          </label>
          <button className="button primary" type="submit" disabled={busy || !body.trim()} data-testid="composer-send">
            {busy ? 'Sending…' : mode === 'public' ? 'Send reply' : 'Add note'}
          </button>
          {sent ? (
            <span className="muted small" role="status" data-testid="composer-sent">
              Sent.
            </span>
          ) : null}
        </div>
      </form>
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

function Properties({ ticket, lists, groups, users, onSaved }: PropsPanel) {
  const [saving, setSaving] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

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

  const statuses = statusOptions(lists, ticket);
  const priorities = withCurrent(
    lists && lists.priorities.length ? lists.priorities : fallback(TICKET_PRIORITIES),
    ticket.priority,
  );
  const types = withCurrent(
    lists && lists.types.length ? lists.types : fallback(REQUEST_TYPES, REQUEST_TYPE_LABELS),
    ticket.type,
  );
  const groupOpts = ticket.group && !groups.some((g) => g.id === ticket.group?.id) ? [...groups, ticket.group] : groups;
  const active = users.filter((u) => u.active || u.id === ticket.assignee?.id);
  const inGroup = ticket.group ? active.filter((u) => u.group_ids?.includes(ticket.group?.id ?? '')) : [];
  const others = active.filter((u) => !inGroup.includes(u));
  const assigneeKnown = !ticket.assignee || active.some((u) => u.id === ticket.assignee?.id);

  const disabled = saving !== null;
  return (
    <section className="panel properties" data-testid="properties">
      <h2>Properties</h2>
      <SelectField label="Status" data-testid="field-status" value={ticket.status} disabled={disabled}
        onChange={(v) => void save('status', { status: v })}>
        <Options entries={statuses} />
      </SelectField>
      <SelectField label="Priority" data-testid="field-priority" value={ticket.priority} disabled={disabled}
        onChange={(v) => void save('priority', { priority: v })}>
        <Options entries={priorities} />
      </SelectField>
      <SelectField label="Type" data-testid="field-type" value={ticket.type ?? ''} disabled={disabled}
        onChange={(v) => void save('type', { type: v })}>
        {ticket.type ? null : <option value="">—</option>}
        <Options entries={types} />
      </SelectField>
      <SelectField label="Group" data-testid="field-group" value={ticket.group?.id ?? ''} disabled={disabled}
        onChange={(v) => void save('group', { group_id: v || null })}>
        <option value="">No group</option>
        {groupOpts.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Assignee" data-testid="field-assignee" value={ticket.assignee?.id ?? ''} disabled={disabled}
        onChange={(v) => void save('assignee', { assignee_id: v || null })}>
        <option value="">Unassigned</option>
        {!assigneeKnown && ticket.assignee ? <option value={ticket.assignee.id}>{ticket.assignee.name}</option> : null}
        {inGroup.length ? (
          <optgroup label={`In ${ticket.group?.name ?? 'group'}`}>
            {inGroup.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {others.length ? (
          <optgroup label={inGroup.length ? 'Others' : 'Staff'}>
            {others.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </SelectField>
      <ErrorBanner error={error} />
      <p className="muted small" role="status" data-testid="properties-status">
        {saving ? `Saving ${saving}…` : saved ? `Saved ${saved}.` : '\u00a0'}
      </p>
    </section>
  );
}
