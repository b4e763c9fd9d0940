import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { canSeeTicket, type TicketScope } from '../../core/auth/ticket-access.ts';
import type { Unlisten } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { TICKET_CHANNEL } from '../shared/publish-ticket-change.ts';
import { NOTIFICATION_CHANNEL } from '../notifications/publish-notification-change.ts';

/** What a live client receives. */
export type LiveEvent =
  | { type: 'ticket'; ticket_id: string; number: number; kind: string; actor_id: string | null }
  | { type: 'presence'; ticket_id: string; number: number; people: PresenceEntry[] }
  /** The receiver's own notifications changed (a new one, or read elsewhere): refetch the bell. */
  | { type: 'notification' };

export type PresenceState = 'viewing' | 'typing';
export type PresenceEntry = { user_id: string; name: string; state: PresenceState };

type Subscriber = { principal: Principal; send: (e: LiveEvent) => void };

const changeSchema = z.object({
  ticket_id: z.string().uuid(),
  number: z.number().int(),
  kind: z.string().max(40),
  actor_id: z.string().nullable(),
});

/** A presence not renewed within this long has left (the page pings every 10 s). */
export const PRESENCE_TTL_MS = 30_000;

/**
 * Fans committed ticket changes (NOTIFY, see publishTicketChange) out to the connected clients that may see
 * the ticket, and keeps who is viewing or typing on which ticket. One per server process; presence and the
 * online list are per process (a multi-instance deployment would publish presence over NOTIFY too).
 */
export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  /** ticket id → user id → presence */
  private readonly presence = new Map<string, Map<string, PresenceEntry & { at: number; number: number }>>();
  private unlisten: Unlisten | null = null;
  private unlistenNotifications: Unlisten | null = null;
  /** Told of every committed change before it fans out (the view counts' cache drops its rollup). */
  private readonly changeListeners = new Set<() => void>();
  /** Told of every presence change (the chat widget shows an agent typing to its visitor). */
  private readonly presenceListeners = new Set<(ticketId: string, people: PresenceEntry[]) => void>();

  constructor(private readonly ctx: AppContext) {}

  async start(): Promise<void> {
    this.unlisten = await this.ctx.db.listen(TICKET_CHANNEL, (payload) => void this.onChange(payload));
    this.unlistenNotifications = await this.ctx.db.listen(NOTIFICATION_CHANNEL, (payload) => this.onNotification(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    await this.unlistenNotifications?.();
    this.unlistenNotifications = null;
    this.subscribers.clear();
  }

  /** Calls `fn` on every committed ticket change, before clients hear of it (so their refetch sees it). */
  onTicketChange(fn: () => void): void {
    this.changeListeners.add(fn);
  }

  /** Calls `fn` with a ticket's people whenever someone starts or stops viewing or typing on it. */
  onPresence(fn: (ticketId: string, people: PresenceEntry[]) => void): () => void {
    this.presenceListeners.add(fn);
    return () => this.presenceListeners.delete(fn);
  }

  subscribe(principal: Principal, send: (e: LiveEvent) => void): () => void {
    const sub = { principal, send };
    this.subscribers.add(sub);
    return () => {
      this.subscribers.delete(sub);
      if (principal.kind === 'user') this.dropPresenceOf(principal.id);
    };
  }

  /** Staff connected right now: user id → open connections. */
  online(): Map<string, { name: string; connections: number }> {
    const out = new Map<string, { name: string; connections: number }>();
    for (const s of this.subscribers) {
      if (s.principal.kind !== 'user') continue;
      const cur = out.get(s.principal.id);
      out.set(s.principal.id, { name: s.principal.name, connections: (cur?.connections ?? 0) + 1 });
    }
    return out;
  }

  /** Records (or clears, with null) what `who` is doing on a ticket they may see, tells the others, returns the others. */
  setPresence(who: Principal, ticket: { id: string; number: number } & TicketScope, state: PresenceState | null, nowMs: number): PresenceEntry[] {
    let entries = this.presence.get(ticket.id);
    if (!entries) {
      entries = new Map();
      this.presence.set(ticket.id, entries);
    }
    if (state) entries.set(who.id, { user_id: who.id, name: who.name, state, at: nowMs, number: ticket.number });
    else entries.delete(who.id);
    const people = this.currentPresence(ticket.id, nowMs);
    this.broadcast(ticket, { type: 'presence', ticket_id: ticket.id, number: ticket.number, people });
    for (const fn of this.presenceListeners) fn(ticket.id, people);
    return people.filter((p) => p.user_id !== who.id);
  }

  private currentPresence(ticketId: string, nowMs: number): PresenceEntry[] {
    const entries = this.presence.get(ticketId);
    if (!entries) return [];
    for (const [id, e] of entries) if (nowMs - e.at > PRESENCE_TTL_MS) entries.delete(id);
    if (entries.size === 0) this.presence.delete(ticketId);
    return [...entries.values()].map(({ user_id, name, state }) => ({ user_id, name, state }));
  }

  private dropPresenceOf(userId: string): void {
    // Another tab of the same person may still be open; their next ping restores it.
    for (const entries of this.presence.values()) entries.delete(userId);
  }

  private async onChange(payload: string): Promise<void> {
    let change: z.infer<typeof changeSchema>;
    try {
      change = changeSchema.parse(JSON.parse(payload));
    } catch {
      this.ctx.log.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed ticket change notification');
      return;
    }
    for (const fn of this.changeListeners) fn();
    if (this.subscribers.size === 0) return;
    const [scope] = await this.ctx.db
      .query<TicketScope & { id: string }>('SELECT id, requester_id, organization_id, group_id, assignee_id FROM tickets WHERE id = $1', [change.ticket_id])
      .catch(() => []);
    if (!scope) return;
    this.broadcast(scope, { type: 'ticket', ...change });
  }

  /** Rings each connected recipient's bell: only their own connections hear of their notifications. */
  private onNotification(payload: string): void {
    const everyone = payload === '*';
    const ids = new Set(payload.split(','));
    for (const s of this.subscribers) {
      if (s.principal.kind !== 'user' || !(everyone || ids.has(s.principal.id))) continue;
      try {
        s.send({ type: 'notification' });
      } catch {
        this.subscribers.delete(s);
      }
    }
  }

  private broadcast(scope: TicketScope, event: LiveEvent): void {
    for (const s of this.subscribers) {
      // Presence is for staff only; ticket changes go to whoever may see the ticket.
      if (event.type === 'presence' && s.principal.kind !== 'user') continue;
      if (!canSeeTicket(s.principal, scope)) continue;
      try {
        s.send(event);
      } catch {
        this.subscribers.delete(s);
      }
    }
  }
}
