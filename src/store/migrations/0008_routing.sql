-- Routing and workload (issue 9): assignment modes and skills on groups, agents' skills, capacity and
-- availability, snoozing, merging, links between tickets and time tracking.

ALTER TABLE groups ADD COLUMN assignment_mode text NOT NULL DEFAULT 'manual'
  CHECK (assignment_mode IN ('manual', 'round_robin', 'least_loaded', 'skills'));
-- Free-form skill keys such as 'lang:ru', 'type:complaint' or a product tag; a ticket needs those of
-- them that describe it (see core/routing/skills.ts).
ALTER TABLE groups ADD COLUMN skills text[] NOT NULL DEFAULT '{}';

-- One row per agent that takes part in automatic assignment. The row is also the lock that
-- serialises assignments to that agent: whoever assigns to an agent holds it FOR UPDATE while it
-- counts the agent's open tickets, so two processes can never both fill the last free slot.
CREATE TABLE agent_routing (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  skills text[] NOT NULL DEFAULT '{}',
  capacity int NOT NULL DEFAULT 10 CHECK (capacity >= 0 AND capacity <= 10000),
  -- {"email": 3, "phone": 1}: at most that many open tickets of a channel (on top of the total).
  channel_capacity jsonb NOT NULL DEFAULT '{}',
  availability text NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'away', 'offline')),
  -- Working hours: outside them an 'online' agent receives nothing. NULL = no restriction.
  calendar_id uuid REFERENCES calendars(id),
  last_assigned_at timestamptz,
  updated_at timestamptz NOT NULL
);

-- Snooze: hidden from the queue until a time and/or the customer's reply.
ALTER TABLE tickets ADD COLUMN snoozed_until timestamptz;
ALTER TABLE tickets ADD COLUMN snooze_until_reply boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN merged_into_id uuid REFERENCES tickets(id);
CREATE INDEX tickets_snoozed_idx ON tickets (snoozed_until) WHERE snoozed_until IS NOT NULL;
-- The group queue: unassigned, unsolved tickets, most urgent first.
CREATE INDEX tickets_unassigned_queue_idx ON tickets (group_id, (COALESCE(sla_next_due_at, 'infinity'::timestamptz)), created_at, id)
  WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX tickets_assignee_open_idx ON tickets (assignee_id, channel) WHERE status IN ('new', 'open', 'pending', 'on_hold');

-- Related tickets, stored once per direction so "links of X" is one index lookup either way.
CREATE TABLE ticket_links (
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  linked_id uuid NOT NULL REFERENCES tickets(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, linked_id),
  CHECK (ticket_id <> linked_id)
);

CREATE TABLE time_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  user_id uuid NOT NULL REFERENCES users(id),
  minutes int NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL
);
CREATE INDEX time_entries_ticket_idx ON time_entries (ticket_id, created_at);
CREATE INDEX time_entries_user_idx ON time_entries (user_id, created_at);
CREATE INDEX tickets_merged_into_idx ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL;
