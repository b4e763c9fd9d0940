import { humanize, type Author, type TicketEvent, type TimelineEntry } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (typeof v === 'string') return humanize(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : 'none';
  if (isRecord(v)) {
    if (typeof v.name === 'string') return v.name;
    if (typeof v.label === 'string') return v.label;
    if (typeof v.key === 'string') return humanize(v.key);
  }
  return JSON.stringify(v);
}

/** Turns an event into human lines such as "Priority: Normal → High". */
export function describeEvent(ev: TicketEvent): string[] {
  const { before, after } = ev;
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    const lines: string[] = [];
    for (const k of keys) {
      if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
      const label = humanize(k.replace(/_id$/, ''));
      if (!(k in b)) lines.push(`${label}: ${show(a[k])}`);
      else lines.push(`${label}: ${show(b[k])} → ${show(a[k])}`);
    }
    return lines;
  }
  if (before === null || before === undefined) return after === null || after === undefined ? [] : [show(after)];
  return [`${show(before)} → ${show(after)}`];
}

/** "Priority: Normal → High" for plain changes; "Created · Status: New" when the kind says more. */
function eventText(kind: string, lines: string[]): string {
  const name = humanize(kind.replace(/^ticket[._]/, '').replace(/[._]/g, ' '));
  if (lines.length === 0) return name;
  if (/(changed|updated|set)$/i.test(kind)) return lines.join('; ');
  return `${name} · ${lines.join('; ')}`;
}

function authorName(a: Author | null | undefined): string {
  if (!a) return 'System';
  if (a.kind === 'system') return a.name ?? 'System';
  return a.name ?? (a.kind === 'contact' ? 'Customer' : 'Agent');
}

export function Timeline({ entries, audience }: { entries: TimelineEntry[]; audience: 'staff' | 'customer' }) {
  const visible = audience === 'customer' ? entries.filter((e) => e.entry === 'message' && e.kind !== 'internal') : entries;
  if (visible.length === 0) return <p className="muted">No messages yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {visible.map((e) => {
        if (e.entry === 'event') {
          const lines = describeEvent(e);
          return (
            <li key={`ev-${e.id}`} className="tl-event" data-testid="timeline-event" data-kind={e.kind}>
              <span className="tl-event-text">
                <strong>{authorName(e.actor)}</strong> {eventText(e.kind, lines)}
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
              <strong>{authorName(e.author)}</strong>
              {e.kind === 'internal' ? <span className="badge badge-amber">Internal note</span> : null}
              {e.kind === 'automatic' ? <span className="badge badge-muted">Automatic</span> : null}
              <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
            </header>
            <div className="tl-body">{e.body_text}</div>
          </li>
        );
      })}
    </ol>
  );
}
