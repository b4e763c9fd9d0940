-- When each agent first opened a ticket that was still waiting for its first reply (issue 19, planning spec §2):
-- the plan's handling time where no time is booked is the observed time from the replying agent opening the
-- ticket to their first public reply. One row per ticket and agent, written by the ticket page's first
-- "viewing" presence ping (later pings and opens after the first reply change nothing).
CREATE TABLE ticket_opens (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, user_id)
);
