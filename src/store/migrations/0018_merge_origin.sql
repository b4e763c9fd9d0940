-- Review 2026-12-07 item 8: a merge moves the merged ticket's messages to the survivor, which showed one
-- customer's words to another. A message now remembers the ticket it was written on (its conversation);
-- NULL means the ticket it is on. Customers see a message only when they may see that ticket, and a merged
-- ticket still shows its own conversation to its requester (app/tickets/get-timeline.ts).
ALTER TABLE messages ADD COLUMN origin_ticket_id uuid REFERENCES tickets(id);
CREATE INDEX messages_origin_idx ON messages (origin_ticket_id, created_at) WHERE origin_ticket_id IS NOT NULL;
-- Messages moved by earlier merges: their message_added event stayed on the ticket they were written on.
UPDATE messages m SET origin_ticket_id = e.ticket_id FROM ticket_events e
  WHERE e.kind = 'message_added' AND e.after->>'message_id' = m.id::text AND e.ticket_id <> m.ticket_id;

-- Item 27: archiving stamped every archived ticket "updated" at the archiving instant, so 400 old requests
-- sorted ahead of live ones. Archiving no longer touches updated_at (app/promise/archive.ts); tickets it
-- stamped get back the instant of their last change before the archiving (bookkeeping: the archived
-- read-only trigger allows it).
UPDATE tickets t SET updated_at = COALESCE(
    (SELECT max(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.created_at < t.archived_at),
    t.closed_at, t.created_at)
  WHERE t.archived_at IS NOT NULL AND t.updated_at = t.archived_at;
