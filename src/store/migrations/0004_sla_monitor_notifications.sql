-- SLA monitor and staff notifications (monitor). Forward-only.

-- Per ticket × metric: the clock as last computed and the next moment the monitor must act on.
-- Written in the same transaction as the ticket change that moved the clock (refresh-ticket-sla).
-- `fired` holds the keys of the actions already taken in the current cycle, so a recomputation can
-- never schedule an action twice. The metric '_pending' is the pending-on-customer reminder clock.
CREATE TABLE sla_clocks (
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  metric text NOT NULL,
  policy_id uuid,
  status text NOT NULL,
  cycle_started_at timestamptz,
  due_at timestamptz,
  breached_at timestamptz,
  fired jsonb NOT NULL DEFAULT '[]',
  next_action_key text,
  next_action_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, metric)
);
CREATE INDEX sla_clocks_next_action_idx ON sla_clocks (next_action_at) WHERE next_action_at IS NOT NULL;

ALTER TABLE sla_policies ADD COLUMN escalations jsonb NOT NULL DEFAULT '[]';
ALTER TABLE sla_policies ADD COLUMN pending_reminders jsonb;

-- Staff working hours (a business calendar); notifications wait for them unless the ticket is urgent.
ALTER TABLE users ADD COLUMN working_calendar_id uuid REFERENCES calendars(id);

-- In-app notifications; e-mail is sent from these rows (alone or as a digest) through the outbox.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  ticket_id uuid REFERENCES tickets(id),
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  urgent boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  -- null = no e-mail for this one; otherwise not before this instant (working hours)
  email_after timestamptz,
  emailed_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_mail_pending_idx ON notifications (user_id, email_after) WHERE email_after IS NOT NULL AND emailed_at IS NULL;

-- One row per recipient: when their next (digest) e-mail is planned and when the last one went out.
CREATE TABLE notification_mail_state (
  user_id uuid PRIMARY KEY REFERENCES users(id),
  next_send_at timestamptz,
  last_sent_at timestamptz
);

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url text NOT NULL,
  secret text NOT NULL,
  -- empty = every event
  events text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);

-- Jobs that failed for good (dead letters: webhook deliveries an admin can see and retry).
ALTER TABLE outbox ADD COLUMN failed_at timestamptz;
CREATE INDEX outbox_failed_idx ON outbox (kind, failed_at) WHERE failed_at IS NOT NULL;
