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

const notice = z.object({ conversation_id: z.string().uuid(), seq: z.number().int() });

/**
 * Fans new widget messages out to the open streams of their conversation (NOTIFY after commit, then a read
 * after the stream's cursor — so a message is sent once, in order, whatever notices were missed or doubled),
 * and an agent's typing on the conversation's ticket (LiveFeed presence). One per server process.
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
      if (parsed.success) this.wake(parsed.data.conversation_id);
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
