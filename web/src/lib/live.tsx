import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { keys, queryClient } from './query.ts';

// Live updates: one EventSource per signed-in tab on /api/v1/events (server-sent events fed by PostgreSQL
// LISTEN/NOTIFY). Each ticket change invalidates the cached queries it touches, so the queue, the view
// counts, the board and an open ticket refetch within a second; nothing reloads the page.

export type LiveStatusValue = 'connecting' | 'connected' | 'offline';
export type PresencePerson = { user_id: string; name: string; state: 'viewing' | 'typing' };

let status: LiveStatusValue = 'connecting';
const statusListeners = new Set<() => void>();
function setStatus(s: LiveStatusValue): void {
  if (s === status) return;
  status = s;
  for (const l of statusListeners) l();
}

type TicketEvent = { ticket_id: string; number: number; kind: string };

/** Several changes within this window cost one refetch of each list. */
const COALESCE_MS = 60;
let pending = new Set<number>();
let timer: number | null = null;

function flush(): void {
  timer = null;
  const numbers = pending;
  pending = new Set();
  void queryClient.invalidateQueries({ queryKey: keys.tickets, predicate: (q) => q.queryKey[1] !== 'one' && q.queryKey[1] !== 'timeline' });
  for (const n of numbers) {
    void queryClient.invalidateQueries({ queryKey: keys.ticket(n) });
    void queryClient.invalidateQueries({ queryKey: keys.timeline(n) });
    void queryClient.invalidateQueries({ queryKey: ['tickets', 'related'] });
  }
}

function onTicket(e: TicketEvent): void {
  pending.add(e.number);
  if (timer === null) timer = window.setTimeout(flush, COALESCE_MS);
  window.dispatchEvent(new CustomEvent('rb:ticket-change', { detail: e }));
}

/** Keeps the stream open while `enabled` (a staff or customer session). */
export function useLiveUpdates(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: number | null = null;
    let hadError = false;
    const open = () => {
      setStatus('connecting');
      source = new EventSource('/api/v1/events');
      source.addEventListener('hello', () => {
        setStatus('connected');
        // Changes made while the stream was down were not delivered: refetch what is on screen.
        if (hadError) {
          void queryClient.invalidateQueries({ queryKey: keys.tickets });
          void queryClient.invalidateQueries({ queryKey: ['notifications'] });
        }
        hadError = false;
      });
      source.addEventListener('ticket', (m) => onTicket(JSON.parse((m as MessageEvent<string>).data) as TicketEvent));
      // The bell: only this person's notifications changed (a new one, or read in another tab).
      source.addEventListener('notification', () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }));
      source.addEventListener('presence', (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as { number: number; people: PresencePerson[] };
        queryClient.setQueryData(['presence', String(e.number)], e.people);
      });
      source.onerror = () => {
        hadError = true;
        // The browser retries by itself (retry: 1000) unless the server refused the stream (closed).
        if (source?.readyState === EventSource.CLOSED) {
          setStatus('offline');
          retry = window.setTimeout(open, 3000);
        } else setStatus('connecting');
      };
    };
    open();
    return () => {
      if (retry !== null) window.clearTimeout(retry);
      source?.close();
      setStatus('connecting');
    };
  }, [enabled]);
}

export function useLiveStatus(): LiveStatusValue {
  return useSyncExternalStore(
    (cb) => {
      statusListeners.add(cb);
      return () => statusListeners.delete(cb);
    },
    () => status,
  );
}

export function LiveStatus() {
  const { t } = useTranslation();
  const s = useLiveStatus();
  return (
    <span className={`live-status live-${s}`} role="status" data-testid="live-status" data-state={s}>
      <span aria-hidden="true" className="live-dot" /> {t(`live.${s}`)}
    </span>
  );
}
