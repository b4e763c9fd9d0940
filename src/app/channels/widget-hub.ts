import { z } from 'zod';
import type { Unlisten } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import type { LiveFeed, PresenceEntry } from '../live/live-feed.ts';
import { WIDGET_CHANNEL, widgetMessagesAfter, type WidgetMessage } from './widget-log.ts';

/** One open widget stream (a visitor's browser tab). */
export type WidgetStream = {
  conversationId: string;
  contactId: string;
  /** The last seq this stream was sent: the next read starts after it. */
  cursor: number;
  sendMessages: (messages: WidgetMessage[]) => void;
  sendTyping: (typing: boolean) => void;
};

type Entry = WidgetStream & { busy: boolean; again: boolean };

const notice = z.object({
  conversation_id: z.string().uuid(),
  ticket_id: z.string().uuid().nullable().optional(),
  /** The committed row (absent when it was too long for a NOTIFY payload: then streams read it). */
  message: z.object({
    seq: z.number().int(), author: z.enum(['visitor', 'agent', 'system']), author_name: z.string().nullable(), body: z.string(),
    created_at: z.string(),
  }).optional(),
});

/**
 * Fans new widget messages out to the open streams of their conversation, and an agent's typing on the
 * conversation's ticket (LiveFeed presence). One per server process. The NOTIFY sent at commit carries the
 * message row: a stream whose cursor is right before it is sent it as is, with no read — one message costs
 * no query however many streams watch it. A stream that is behind (a missed notice, a reconnect, a read
 * in flight, a row too long for a notice) reads after its cursor instead, so a message is still sent once
 * and in order whatever notices were missed or doubled.
 */
export class WidgetHub {
  private readonly streams = new Map<string, Set<Entry>>();
  /** ticket id → conversation id, for the tickets of open streams (presence arrives by ticket). */
  private readonly ticketConversation = new Map<string, string>();
  private unlisten: Unlisten | null = null;
  private unpresence: (() => void) | null = null;

  constructor(private readonly ctx: AppContext, private readonly feed: LiveFeed) {}

  async start(): Promise<void> {
    this.unlisten = await this.ctx.db.listen(WIDGET_CHANNEL, (payload) => {
      const parsed = notice.safeParse(safeJson(payload));
      if (parsed.success) this.deliver(parsed.data);
    }, { onReconnect: () => { for (const id of this.streams.keys()) this.wake(id); } });
    this.unpresence = this.feed.onPresence((ticketId, people) => this.onPresence(ticketId, people));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    this.unpresence?.();
    this.streams.clear();
  }

  /** Open streams right now (the bench reads it). */
  size(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.size;
    return n;
  }

  /** Registers a stream and sends it everything after its cursor; returns the function that closes it. */
  add(stream: WidgetStream, ticketId: string | null): () => void {
    const entry: Entry = { ...stream, busy: false, again: false };
    let set = this.streams.get(stream.conversationId);
    if (!set) this.streams.set(stream.conversationId, (set = new Set()));
    set.add(entry);
    if (ticketId) this.ticketConversation.set(ticketId, stream.conversationId);
    void this.pump(entry);
    return () => {
      const s = this.streams.get(stream.conversationId);
      s?.delete(entry);
      if (s && s.size === 0) {
        this.streams.delete(stream.conversationId);
        for (const [t, c] of this.ticketConversation) if (c === stream.conversationId) this.ticketConversation.delete(t);
      }
    };
  }

  private deliver(n: z.infer<typeof notice>): void {
    const set = this.streams.get(n.conversation_id);
    if (!set) return;
    if (n.ticket_id) this.ticketConversation.set(n.ticket_id, n.conversation_id);
    const m = n.message ? { ...n.message, created_at: new Date(n.message.created_at) } : null;
    for (const e of set) {
      if (m && !e.busy && m.seq === e.cursor + 1) {
        e.cursor = m.seq;
        e.sendMessages([m]);
      } else if (!m || m.seq > e.cursor) {
        void this.pump(e);
      }
    }
  }

  private wake(conversationId: string): void {
    for (const e of this.streams.get(conversationId) ?? []) void this.pump(e);
  }

  /** Reads after the stream's cursor until nothing is left; one read at a time per stream. */
  private async pump(e: Entry): Promise<void> {
    if (e.busy) {
      e.again = true;
      return;
    }
    e.busy = true;
    try {
      do {
        e.again = false;
        const rows = await widgetMessagesAfter(this.ctx.db, e.conversationId, e.cursor);
        if (rows.length) {
          e.cursor = rows[rows.length - 1]?.seq ?? e.cursor;
          e.sendMessages(rows);
          if (rows.length === 200) e.again = true;
        }
        if (rows.length) await this.rememberTicket(e.conversationId);
      } while (e.again);
    } catch (err) {
      this.ctx.log.warn({ err, conversation: e.conversationId }, 'a widget stream could not be read');
    } finally {
      e.busy = false;
    }
  }

  private async rememberTicket(conversationId: string): Promise<void> {
    const [row] = await this.ctx.db.query<{ ticket_id: string | null }>('SELECT ticket_id FROM channel_conversations WHERE id = $1', [conversationId]);
    if (row?.ticket_id) this.ticketConversation.set(row.ticket_id, conversationId);
  }

  private onPresence(ticketId: string, people: PresenceEntry[]): void {
    const conversationId = this.ticketConversation.get(ticketId);
    if (!conversationId) return;
    for (const e of this.streams.get(conversationId) ?? []) {
      e.sendTyping(people.some((p) => p.user_id !== e.contactId && p.state === 'typing'));
    }
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
