-- Issue 18, the cockpit's missing measures (docs/kpis.md): cost per resolution, CSAT low-score follow-up and the
-- weekly report by e-mail.

-- Hourly rates for cost per resolution: per agent, or per group (an agent's own rate wins). Admin setting.
CREATE TABLE cost_rates (
  scope text NOT NULL CHECK (scope IN ('agent', 'group')),
  target_id uuid NOT NULL,
  hourly_rate numeric(12, 2) NOT NULL CHECK (hourly_rate >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (scope, target_id)
);

-- One row per low rating (≤ 2 of 5): written with the rating, in its transaction, so the supervisors are notified
-- exactly once (the primary key); a supervisor notes what was done and marks it done.
CREATE TABLE csat_follow_ups (
  answer_id bigint PRIMARY KEY REFERENCES closure_answers(id),
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '',
  noted_by uuid REFERENCES users(id),
  noted_at timestamptz,
  done_at timestamptz
);
CREATE INDEX csat_follow_ups_created_idx ON csat_follow_ups (created_at);
CREATE INDEX csat_follow_ups_open_idx ON csat_follow_ups (created_at) WHERE done_at IS NULL;

-- The weekly report by e-mail: supervisors opt in; one send per supervisor per local week (the primary key).
CREATE TABLE weekly_report_subscriptions (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL
);
CREATE TABLE weekly_report_sends (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  week_start date NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, week_start)
);
