import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { humanize, type AttachmentMeta, type Author, type Message, type TicketEvent, type TimelineEntry } from '../lib/api.ts';
import { formatBytes, formatDateTime } from '../lib/format.ts';
import { LinkedText } from './linked-text.tsx';
import { classifierOrigin, classifierSentence, classifierSuffix } from './timeline-classifier.ts';
import { slaEventText } from './sla-event-text.ts';

// An instant in an event's values ("due_at", "snoozed_until") is shown in the reader's zone, never as raw UTC.
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** id → display name for `*_id` values (groups, users). */
export type NameLookup = Record<string, string>;

const KEY_LIKE = /^[a-z][a-z0-9_]*$/;
const SKIP_ON_CREATE = new Set(['subject', 'status']);

/** The translator the timeline needs (react-i18next's `t`, or a plain i18next instance's in unit checks). */
export type Translate = (key: string, opts?: Record<string, unknown>) => string;

// Values of these fields are list keys with labels in the workspace namespace (stages in common).
const LABELLED_VALUES = new Set(['status', 'priority', 'type', 'channel', 'tier']);

function valueLabel(t: Translate, key: string, v: string): string {
  if (LABELLED_VALUES.has(key)) return t(`workspace:${key}.${v}`, { defaultValue: humanize(v) });
  if (key === 'stage') return t(`common:stage.${v}`, { defaultValue: humanize(v) });
  return KEY_LIKE.test(v) ? humanize(v) : v;
}

function show(t: Translate, v: unknown, key = '', names: NameLookup = {}): string {
  if (v === null || v === undefined || v === '') return t('events:none');
  if (typeof v === 'string') {
    if (key.endsWith('_id')) return names[v] ?? t('events:unknown');
    if (ISO_INSTANT.test(v)) return formatDateTime(v);
    return valueLabel(t, key, v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? v.map((x) => show(t, x, key, names)).join(', ') : t('events:none');
  if (isRecord(v)) {
    if (typeof v.name === 'string') return v.name;
    if (typeof v.label === 'string') return v.label;
    if (typeof v.key === 'string') return humanize(v.key);
  }
  return JSON.stringify(v);
}

/** Turns an event into human lines such as "Priority: Normal → High", in the reader's language. */
export function describeEvent(t: Translate, ev: TicketEvent, names: NameLookup = {}): string[] {
  const { before, after } = ev;
  const created = ev.kind === 'created' || ev.kind === 'ticket_created' || ev.kind === 'ticket.created';
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    const lines: string[] = [];
    const byClassifier = classifierOrigin(a);
    for (const k of keys) {
      if (byClassifier && k === 'classifier') continue;
      if (byClassifier && (k === 'type' || k === 'priority') && typeof a[k] === 'string') {
        lines.push(classifierSentence(t, k, show(t, a[k], k, names), byClassifier));
        continue;
      }
      if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
      if (created && (SKIP_ON_CREATE.has(k) || a[k] === null || a[k] === undefined)) continue;
      const field = k.replace(/_id$/, '');
      const label = t(`events:field.${field}`, { defaultValue: humanize(field) });
      if (!(k in b)) lines.push(`${label}: ${show(t, a[k], k, names)}`);
      else lines.push(`${label}: ${show(t, b[k], k, names)} → ${show(t, a[k], k, names)}`);
    }
    // "Stage: Received → Triaged (by the classifier, confidence 87%)"
    if (byClassifier && lines.length > 0 && !keys.some((k) => k === 'type' || k === 'priority')) lines.push(`${lines.pop() ?? ''} ${classifierSuffix(t, byClassifier)}`);
    return lines;
  }
  if (before === null || before === undefined) return after === null || after === undefined ? [] : [show(t, after, '', names)];
  return [`${show(t, before, '', names)} → ${show(t, after, '', names)}`];
}

/** "Priority: Normal → High" for plain changes; "Created · Status: New" when the kind says more. */
export function eventText(t: Translate, kind: string, lines: string[]): string {
  const bare = kind.replace(/^ticket[._]/, '').replace(/\./g, '_');
  const name = t(`events:kind.${bare}`, { defaultValue: humanize(bare.replace(/_/g, ' ')) });
  if (lines.length === 0) return name;
  if (/(changed|updated|set)$/i.test(kind)) return lines.join('; ');
  return `${name} · ${lines.join('; ')}`;
}

function authorName(a: Author | null | undefined, t: TFunction): string {
  if (!a) return t('timeline.system');
  if (a.kind === 'system') return a.name ?? t('timeline.system');
  return a.name ?? (a.kind === 'contact' ? t('timeline.customer') : t('timeline.agent'));
}

type TimelineProps = {
  entries: TimelineEntry[];
  audience: 'staff' | 'customer';
  names?: NameLookup;
  /** Something to offer under a message (the staff page: "turn this reply into an article"). */
  messageAction?: (m: Message) => ReactNode;
  /** Files received with the messages (listed under each), downloaded from the ticket `ticketRef`. */
  attachments?: readonly AttachmentMeta[];
  ticketRef?: string | number;
  /** The reader (customer audience): their own messages are marked "You". */
  viewerId?: string;
};

/** Who wrote a message, in words, for the customer's page: the team, the reader, or another customer. */
function customerRole(a: Author, viewerId: string | undefined, t: TFunction): string {
  if (a.kind !== 'contact') return t('merge:portal.staff');
  return a.id !== null && a.id === viewerId ? t('merge:portal.you') : t('merge:portal.customer');
}

export function Timeline({ entries, audience, names = {}, messageAction, attachments = [], ticketRef, viewerId }: TimelineProps) {
  const { t } = useTranslation();
  const visible = entries.filter((e) =>
    audience === 'customer' ? e.entry === 'message' && e.kind !== 'internal' : !(e.entry === 'event' && e.kind === 'message_added'),
  );
  if (visible.length === 0) return <p className="muted">{t('timeline.empty')}</p>;
  return (
    <ol className={`timeline audience-${audience}`} data-testid="timeline">
      {visible.map((e) => {
        if (e.entry === 'event') {
          const lines = describeEvent(t, e, names);
          return (
            <li key={`ev-${e.id}`} className="tl-event" data-testid="timeline-event" data-kind={e.kind}>
              <span className="tl-event-text">
                <strong>{authorName(e.actor, t)}</strong> {slaEventText(t, e.kind, e.after) ?? eventText(t, e.kind, lines)}
              </span>
              <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
            </li>
          );
        }
        const mine = e.author.kind === 'user' ? 'from-staff' : e.author.kind === 'contact' ? 'from-customer' : 'from-system';
        return (
          <li key={`msg-${e.id}`} className={`tl-message kind-${e.kind} ${mine}`} data-testid="timeline-message"
            data-kind={e.kind}>
            <header>
              {audience === 'customer' ? (
                // Staff and customer messages differ by colour and side, and by these words for everyone.
                <span className={`tl-role role-${mine}`} data-testid="message-role">{customerRole(e.author, viewerId, t)}</span>
              ) : null}
              <strong>{authorName(e.author, t)}</strong>
              {e.kind === 'internal' ? <span className="badge badge-amber">{t('timeline.internal')}</span> : null}
              {e.kind === 'public' && audience === 'staff' ? <span className="badge badge-blue">{t('timeline.public')}</span> : null}
              {e.kind === 'automatic' ? <span className="badge badge-muted">{t('timeline.automatic')}</span> : null}
              <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
            </header>
            <div className="tl-body"><LinkedText text={e.body_text} /></div>
            <Attachments files={attachments.filter((a) => a.message_id === e.id)} ticketRef={ticketRef} />
            {messageAction ? messageAction(e) : null}
          </li>
        );
      })}
    </ol>
  );
}

function Attachments({ files, ticketRef }: { files: readonly AttachmentMeta[]; ticketRef: string | number | undefined }) {
  const { t } = useTranslation();
  if (files.length === 0 || ticketRef === undefined) return null;
  return (
    <ul className="attachments" aria-label={t('timeline.attachments')} data-testid="attachments">
      {files.map((f) => (
        <li key={f.id}>
          {f.stored ? (
            <a href={`/api/v1/tickets/${encodeURIComponent(String(ticketRef))}/attachments/${f.id}`} download={f.filename}>{f.filename}</a>
          ) : <span>{f.filename}</span>}
          {' '}<span className="muted small">{f.stored ? formatBytes(f.size_bytes) : t('timeline.notStored', { size: formatBytes(f.size_bytes) })}</span>
        </li>
      ))}
    </ul>
  );
}
