-- Confirmed closure, archiving and progress notices (issue 11, customer side).

-- Archived: a closed ticket after the configured period. Still listed and searchable, never changed.
ALTER TABLE tickets ADD COLUMN archived_at timestamptz;
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE status = 'solved';
CREATE INDEX tickets_closed_unarchived_idx ON tickets (closed_at) WHERE status = 'closed' AND archived_at IS NULL;

-- Read-only, whatever path a write takes: the use cases answer first with a typed error; this is the
-- backstop (SQLSTATE RB409, mapped to 409 in http/error-map.ts). Bookkeeping columns (SLA cache,
-- updated_at) may still be written by jobs; what the ticket says may not.
CREATE FUNCTION tickets_archived_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.subject IS DISTINCT FROM NEW.subject OR OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority
     OR OLD.type IS DISTINCT FROM NEW.type OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.tags IS DISTINCT FROM NEW.tags
     OR OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
     OR OLD.urgency IS DISTINCT FROM NEW.urgency OR OLD.promised_reply_at IS DISTINCT FROM NEW.promised_reply_at
     OR OLD.requester_id IS DISTINCT FROM NEW.requester_id OR OLD.archived_at IS DISTINCT FROM NEW.archived_at THEN
    RAISE EXCEPTION 'ticket % was archived on % and is read-only', OLD.number, OLD.archived_at USING ERRCODE = 'RB409';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tickets_archived_read_only BEFORE UPDATE ON tickets FOR EACH ROW WHEN (OLD.archived_at IS NOT NULL) EXECUTE FUNCTION tickets_archived_read_only();

CREATE FUNCTION messages_archived_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
  SELECT number INTO n FROM tickets WHERE id = NEW.ticket_id AND archived_at IS NOT NULL;
  IF FOUND THEN
    RAISE EXCEPTION 'ticket % is archived and read-only', n USING ERRCODE = 'RB409';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER messages_archived_read_only BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_archived_read_only();

-- The customer's answer to "is it solved?": one row per answer (a ticket may be reopened and solved
-- again); rating/comment are the satisfaction survey (CSAT).
CREATE TABLE closure_answers (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  outcome text NOT NULL CHECK (outcome IN ('solved', 'not_solved')),
  rating int CHECK (rating BETWEEN 1 AND 5),
  comment text,
  via text NOT NULL CHECK (via IN ('link', 'portal')),
  created_at timestamptz NOT NULL
);
CREATE INDEX closure_answers_ticket_idx ON closure_answers (ticket_id);
CREATE INDEX closure_answers_created_idx ON closure_answers (created_at);

-- One-click links in the "is it solved?" mail: opaque, stored as SHA-256, bound to the ticket and its
-- requester, expiring. A GET only shows the question; the answer is a POST.
CREATE TABLE closure_links (
  token_hash text PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Customer notices already sent, so each is sent once (and two sweepers never both send it):
-- kind = work_started | waiting_on_you | promise_about_to_pass | closure_request; key tells repeats apart
-- (the promise instant, the solve instant).
CREATE TABLE ticket_notices (
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  kind text NOT NULL,
  key text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, kind, key)
);

CREATE TABLE lifecycle_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
