-- Issue 21 item 4: erasing one person's data and retention rules (docs/security.md, "Personal data").

-- When a contact was erased (its name and address replaced, its sign-in ways removed); the row stays so the
-- tickets it requested keep their requester for the reports.
ALTER TABLE contacts ADD COLUMN erased_at timestamptz;
-- When a ticket's personal content (subject, the requester's words, raw mail, attachments, event payloads)
-- was replaced by an erasure or the retention sweep; its counts, timestamps and SLA clocks are never touched.
ALTER TABLE tickets ADD COLUMN anonymised_at timestamptz;
-- The retention sweep's claim: closed tickets not yet anonymised, oldest closure first.
CREATE INDEX tickets_closed_not_anonymised_idx ON tickets (closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;

-- The one narrow way past the append-only and read-only backstops: a transaction that has set
-- `replyby.erasure` to 'on' (set_config(..., true): local to that transaction, only app/privacy does it)
-- may rewrite an event's payload (never its ticket, kind, actor or time, never delete it) and an archived
-- ticket's subject. Everything else is refused as before.
CREATE OR REPLACE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('replyby.erasure', true) = 'on'
     AND OLD.seq = NEW.seq AND OLD.ticket_id = NEW.ticket_id AND OLD.kind = NEW.kind AND OLD.actor_kind = NEW.actor_kind
     AND OLD.actor_id IS NOT DISTINCT FROM NEW.actor_id AND OLD.created_at = NEW.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ticket_events is append-only';
END;
$$;

CREATE OR REPLACE FUNCTION tickets_archived_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD.subject IS DISTINCT FROM NEW.subject AND current_setting('replyby.erasure', true) IS DISTINCT FROM 'on') OR OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority
     OR OLD.type IS DISTINCT FROM NEW.type OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.tags IS DISTINCT FROM NEW.tags
     OR OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
     OR OLD.urgency IS DISTINCT FROM NEW.urgency OR OLD.promised_reply_at IS DISTINCT FROM NEW.promised_reply_at
     OR OLD.requester_id IS DISTINCT FROM NEW.requester_id OR OLD.archived_at IS DISTINCT FROM NEW.archived_at THEN
    RAISE EXCEPTION 'ticket % was archived on % and is read-only', OLD.number, OLD.archived_at USING ERRCODE = 'RB409';
  END IF;
  RETURN NEW;
END $$;

-- What an erasure reads per ticket and per person.
CREATE INDEX notifications_ticket_idx ON notifications (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX mail_attachments_ticket_idx ON mail_attachments (ticket_id);
CREATE INDEX messages_contact_author_idx ON messages (author_id) WHERE author_kind = 'contact';
