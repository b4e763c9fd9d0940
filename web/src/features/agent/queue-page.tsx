import { lazy, Suspense, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import {
  api,
  BUILTIN_VIEWS,
  QUEUE_COLUMNS,
  type BuiltinView,
  type QueueColumn,
  type Ticket,
  type TicketSort,
} from '../../lib/api.ts';
import { formatCompact, formatDateTime } from '../../lib/format.ts';
import { keys, useLoad, useNow } from '../../lib/query.ts';
import { useSession } from '../../lib/session.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { Badge, ErrorBanner, Loading, priorityTone, statusTone } from '../../app/ui.tsx';
import { SlaCell } from './sla.tsx';
import { isTyping } from './typing.ts';
import { rememberQueue } from './queue-order.ts';

// The bulk bar (menus, the merge dialog) and the shortcut list (a dialog) appear only after a selection or a
// "?": they and Headless UI are fetched then, so the queue's first screen stays light.
const BulkBar = lazy(async () => ({ default: (await import('./bulk-bar.tsx')).BulkBar }));
const ShortcutsHelp = lazy(async () => ({ default: (await import('./shortcuts-help.tsx')).ShortcutsHelp }));

const DEFAULT_COLUMNS: QueueColumn[] = ['number', 'subject', 'requester', 'priority', 'status', 'assignee', 'sla', 'updated'];
const SORTABLE: Partial<Record<QueueColumn, [TicketSort, TicketSort]>> = {
  number: ['number', '-number'],
  updated: ['-updated_at', 'updated_at'],
  sla: ['due', 'due'],
};

function isView(v: string | undefined): v is BuiltinView {
  return (BUILTIN_VIEWS as readonly string[]).includes(v ?? '');
}

export function QueuePage() {
  const { t } = useTranslation('workspace');
  const params = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { principal } = useSession();
  const view: BuiltinView = isView(params.view) ? params.view : 'all_open';
  const q = search.get('q') ?? '';
  const sort = (search.get('sort') as TicketSort | null) ?? 'due';
  const savedId = search.get('saved');
  const saved = useLoad(keys.views, () => api.savedViews());
  const savedView = saved.data?.data.find((v) => v.id === savedId) ?? null;
  const columns = savedView?.definition.columns ?? DEFAULT_COLUMNS;
  const list = useLoad(keys.ticketList({ view, q, sort }), () => api.tickets({ view, q, sort, limit: 50 }));
  const counts = useLoad(keys.viewCounts, () => api.viewCounts());
  const now = useNow(1000);
  const [draft, setDraft] = useState(q);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const rowsRef = useRef<(HTMLTableRowElement | null)[]>([]);
  const searchRef = useRef<HTMLInputElement>(null);
  const rows = useMemo(() => list.data?.data ?? [], [list.data]);
  const viewName = savedView?.name ?? t(`views.${view}`);
  usePageTitle(q ? t('search.title', { q }) : viewName);

  useEffect(() => setDraft(q), [q]);
  useEffect(() => {
    rememberQueue(rows.map((r) => r.number));
    setActive((a) => Math.min(a, Math.max(0, rows.length - 1)));
    setSelected((s) => new Set([...s].filter((n) => rows.some((r) => r.number === n))));
  }, [rows]);
  // Server-side search as the agent types, without a request per keystroke.
  useEffect(() => {
    if (draft === q) return;
    const tm = window.setTimeout(() => update({ q: draft || null }), 250);
    return () => window.clearTimeout(tm);
  }, [draft]); // eslint-disable-line react-hooks/exhaustive-deps

  function update(change: Record<string, string | null>) {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(change)) if (v === null) next.delete(k); else next.set(k, v);
    setSearch(next, { replace: true });
  }

  function focusRow(i: number) {
    const clamped = Math.max(0, Math.min(rows.length - 1, i));
    setActive(clamped);
    rowsRef.current[clamped]?.focus();
  }

  function toggle(n: number) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(n)) next.delete(n); else next.add(n);
      return next;
    });
  }

  async function assignToMe(numbers: number[]) {
    if (!principal || numbers.length === 0) return;
    await bulk({ numbers, assignee_id: principal.id });
  }

  const [bulkError, setBulkError] = useState<unknown>(undefined);
  const [bulkDone, setBulkDone] = useState<string | null>(null);
  async function bulk(change: Parameters<typeof api.bulkUpdate>[0]) {
    setBulkError(undefined);
    setBulkDone(null);
    try {
      const res = await api.bulkUpdate(change);
      setBulkDone(t('bulk.done', { count: res.updated.length }));
      await qc.invalidateQueries({ queryKey: keys.tickets });
    } catch (err) {
      setBulkError(err);
    }
  }

  async function bulkMerge(numbers: number[], into: number, confirmDifferentRequesters: boolean) {
    setBulkError(undefined);
    setBulkDone(null);
    try {
      const res = await api.bulkMerge({ numbers, into, ...(confirmDifferentRequesters ? { confirm_different_requesters: true } : {}) });
      setBulkDone(t('bulk.merged', { count: res.merged.length, number: into }));
      setSelected(new Set());
      await qc.invalidateQueries({ queryKey: keys.tickets });
    } catch (err) {
      setBulkError(err);
    }
  }

  /** One key on row `i` (the focused row, or the active one when the key came from elsewhere on the page). */
  function rowKey(k: string, i: number, ticket: Ticket, onRow: boolean): boolean {
    // From outside the table, j/k first bring the keyboard to the active row rather than skipping past it.
    if (k === 'j' || (onRow && k === 'ArrowDown')) focusRow(onRow ? i + 1 : i);
    else if (k === 'k' || (onRow && k === 'ArrowUp')) focusRow(onRow ? i - 1 : i);
    else if (k === 'Enter' || k === 'o') void navigate(`/tickets/${ticket.number}`);
    else if (k === 'x' || (onRow && k === ' ')) toggle(ticket.number);
    else if (k === 'a') void assignToMe([ticket.number]);
    else if (k === '/') searchRef.current?.focus();
    else if (k === '?') setHelp(true);
    else return false;
    return true;
  }

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, i: number, ticket: Ticket) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (rowKey(e.key, i, ticket, true)) e.preventDefault();
  }

  // Review 2026-12-07 item 15: the shortcuts work page-wide, not only once a row has focus (26 Tab presses in);
  // typing in a field, a menu or a dialog keeps its keys. Enter outside the table keeps its own meaning (buttons, links).
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || help) return;
      if (e.key === 'Enter' || e.key === ' ') return;
      if (e.target instanceof HTMLElement && e.target.closest('tr[data-number]')) return;
      if (e.key === '/' || e.key === '?') {
        e.preventDefault();
        if (e.key === '/') searchRef.current?.focus(); else setHelp(true);
        return;
      }
      const ticket = rows[active];
      if (ticket && rowKey(e.key, active, ticket, false)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const sel = [...selected];
  const header = (c: QueueColumn) => {
    const sorts = SORTABLE[c];
    const label = t(`columns.${c}`);
    if (!sorts) return <th key={c} scope="col" className={`col-${c}`}>{label}</th>;
    const on = sort === sorts[0] || sort === sorts[1];
    const asc = sort === 'number' || sort === 'updated_at' || sort === 'due';
    const next = on && sort === sorts[0] && sorts[0] !== sorts[1] ? sorts[1] : sorts[0];
    return (
      <th key={c} scope="col" className={`col-${c}`} aria-sort={on ? (asc ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort-button" onClick={() => update({ sort: next })} data-testid={`sort-${c}`}>
          {label} <span aria-hidden="true">{on ? (asc ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="workspace">
      <nav className="views" aria-label={t('views.label')}>
        <ul>
          {BUILTIN_VIEWS.map((v) => (
            <li key={v}>
              <Link to={`/views/${v}`} className={v === view && !savedView ? 'active' : ''} aria-current={v === view && !savedView ? 'page' : undefined}
                data-testid={`view-${v}`}>
                <span>{t(`views.${v}`)}</span>
                <span className="count" data-testid={`count-${v}`}>{counts.data?.[v] ?? '…'}</span>
              </Link>
            </li>
          ))}
        </ul>
        <SavedViews current={{ base: view, q, sort, columns }} activeId={savedId} />
      </nav>
      <div className="queue-main">
        <div className="page-head">
          <h1 data-testid="queue-title">{viewName}</h1>
          <div className="page-tools">
            <label className="visually-hidden" htmlFor="queue-search">{t('search.label')}</label>
            <input id="queue-search" ref={searchRef} type="search" placeholder={t('search.placeholder')} data-testid="queue-filter"
              value={draft} onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') update({ q: draft || null });
                if (e.key === 'ArrowDown') focusRow(0);
              }} />
          </div>
        </div>
        {sel.length > 0 ? (
          <Suspense fallback={null}>
            <BulkBar count={sel.length} onAssignMe={() => void assignToMe(sel)} onApply={(c) => void bulk({ numbers: sel, ...c })}
              mergeCandidates={rows.filter((r) => selected.has(r.number)).map((r) => ({ number: r.number, label: `${r.display_number} ${r.subject}`, display_number: r.display_number, requester: r.requester }))}
              onMerge={(into, confirm) => void bulkMerge(sel, into, confirm)} onClear={() => setSelected(new Set())} />
          </Suspense>
        ) : null}
        <ErrorBanner error={bulkError ?? list.error} />
        <p className="muted small" role="status" data-testid="queue-summary">
          {list.data ? t('queue.shown', { count: rows.length }) : ''}
          {bulkDone ? ` · ${bulkDone}` : ''} ·{' '}
          <button type="button" className="link-button kbd-help" onClick={() => setHelp(true)} data-testid="shortcuts-button">{t('display:shortcuts.button')}</button>
        </p>
        {help ? (
          <Suspense fallback={null}>
            <ShortcutsHelp open onClose={() => setHelp(false)} page="queue" />
          </Suspense>
        ) : null}
        {list.data === undefined && !list.error ? <Loading /> : null}
        {list.data ? (
          <div className="table-wrap">
            <table className="table queue" data-testid="queue-table" aria-label={viewName}>
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <input type="checkbox" aria-label={t('bulk.selectAll')} checked={rows.length > 0 && sel.length === rows.length}
                      onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.number)) : new Set())} />
                  </th>
                  {columns.map(header)}
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={columns.length + 1} className="muted center">{q ? t('queue.noMatch') : t('queue.empty')}</td>
                  </tr>
                ) : null}
                {rows.map((tk, i) => (
                  <tr key={tk.id} ref={(el) => { rowsRef.current[i] = el; }} tabIndex={i === active ? 0 : -1}
                    className={`${selected.has(tk.number) ? 'selected' : ''}`} aria-selected={selected.has(tk.number)}
                    data-testid={`queue-row-${tk.number}`} data-number={tk.number}
                    onFocus={() => setActive(i)} onKeyDown={(e) => onRowKey(e, i, tk)}>
                    <td className="select-col">
                      <input type="checkbox" tabIndex={-1} aria-label={t('bulk.select', { number: tk.display_number })}
                        checked={selected.has(tk.number)} onChange={() => toggle(tk.number)} />
                    </td>
                    {columns.map((c) => (
                      <Cell key={c} column={c} ticket={tk} now={now} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </div>
  );
}

// Review 2026-12-07 item 16: one line per ticket (subjects wrapped to four lines, ~7 tickets a screen). Long text is
// cut inside its cell with an ellipsis and shown whole in the cell's title; the columns have fixed widths (styles.css).
function Cell({ column, ticket: tk, now }: { column: QueueColumn; ticket: Ticket; now: number }) {
  const { t } = useTranslation('workspace');
  const label = t(`columns.${column}`);
  switch (column) {
    case 'number':
      return <td className="num" data-label={label}>{tk.display_number}</td>;
    case 'subject':
      return (
        <td className="subject" data-label={label}>
          <Link to={`/tickets/${tk.number}`} tabIndex={-1} data-testid="queue-subject" className="clip" title={tk.subject}>{tk.subject}</Link>
        </td>
      );
    case 'requester': {
      const who = tk.requester.name || tk.requester.email;
      return (
        <td data-label={label}>
          <span className="clip" title={tk.organization ? `${who} · ${tk.organization.name}` : who}>
            <span className="requester data">{who}</span>
            {tk.organization ? <span className="muted small data"> · {tk.organization.name}</span> : null}
          </span>
        </td>
      );
    }
    case 'priority':
      return <td data-label={label}><Badge tone={priorityTone(tk.priority)}>{t(`priority.${tk.priority}`, { defaultValue: tk.priority })}</Badge></td>;
    case 'status':
      return <td data-label={label}><Badge tone={statusTone(tk.status)}>{t(`status.${tk.status}`, { defaultValue: tk.status })}</Badge></td>;
    case 'group':
      return <td className="data" data-label={label}><span className="clip" title={tk.group?.name}>{tk.group?.name ?? <span className="muted">—</span>}</span></td>;
    case 'assignee':
      return <td data-label={label}><span className="clip" title={tk.assignee?.name}>{tk.assignee ? <span className="data">{tk.assignee.name}</span> : <span className="muted">{t('queue.unassigned')}</span>}</span></td>;
    case 'sla':
      return <td data-label={label}><span className="clip sla-cell"><SlaCell sla={tk.sla} now={now} compact /></span></td>;
    case 'updated':
      return <td className="small" data-label={label}><time className="clip" dateTime={tk.updated_at} title={formatDateTime(tk.updated_at)}>{formatCompact(tk.updated_at, now)}</time></td>;
    case 'tags':
      return <td className="small data" data-label={label}><span className="clip" title={tk.tags.join(', ')}>{tk.tags.join(', ')}</span></td>;
  }
}

function SavedViews({ current, activeId }: { current: { base: BuiltinView; q: string; sort: TicketSort; columns: QueueColumn[] }; activeId: string | null }) {
  const { t } = useTranslation('workspace');
  const qc = useQueryClient();
  const saved = useLoad(keys.views, () => api.savedViews());
  const [name, setName] = useState('');
  const [cols, setCols] = useState<QueueColumn[]>(current.columns);
  const [error, setError] = useState<unknown>(undefined);
  async function save() {
    setError(undefined);
    try {
      await api.createSavedView(name.trim(), { base: current.base, sort: current.sort, columns: cols, ...(current.q ? { q: current.q } : {}) });
      setName('');
      await qc.invalidateQueries({ queryKey: keys.views });
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div className="saved-views">
      <h2 className="small">{t('saved.title')}</h2>
      <ul>
        {(saved.data?.data ?? []).map((v) => {
          const qs = new URLSearchParams({ saved: v.id, sort: v.definition.sort, ...(v.definition.q ? { q: v.definition.q } : {}) });
          return (
            <li key={v.id}>
              <Link to={`/views/${v.definition.base}?${qs}`} className={v.id === activeId ? 'active' : ''}>{v.name}</Link>
            </li>
          );
        })}
      </ul>
      <details>
        <summary>{t('saved.saveCurrent')}</summary>
        <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label htmlFor="saved-name">{t('saved.name')}</label>
          <input id="saved-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
          <fieldset>
            <legend>{t('saved.columns')}</legend>
            {QUEUE_COLUMNS.map((c) => (
              <label key={c} className="check">
                <input type="checkbox" checked={cols.includes(c)}
                  onChange={(e) => setCols(e.target.checked ? QUEUE_COLUMNS.filter((x) => x === c || cols.includes(x)) : cols.filter((x) => x !== c))} />
                {t(`columns.${c}`)}
              </label>
            ))}
          </fieldset>
          <ErrorBanner error={error} />
          <button type="submit" className="button">{t('saved.save')}</button>
        </form>
      </details>
    </div>
  );
}
