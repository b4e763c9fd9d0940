-- Surges (docs/surge.md, planning spec §5): detected by the worker's sweep or declared by a supervisor.
-- At most one is active (ended_at IS NULL): the partial unique index makes the start exactly-once across worker
-- processes — the sweep inserts with ON CONFLICT DO NOTHING and only the inserting transaction alerts.
CREATE TABLE surges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cause text NOT NULL CHECK (cause IN ('arrivals', 'backlog', 'manual')),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text CHECK (end_reason IN ('calm', 'manual')),
  -- When every signal became calm (automatic surges end after a calm period without a break).
  calm_since timestamptz,
  -- The supervisor's words for customers (null: the default notice in the customer's language).
  message text CHECK (char_length(message) <= 1000),
  declared_by uuid REFERENCES users(id),
  ended_by uuid REFERENCES users(id),
  -- The signals at the start (arrivals against the band, backlog load), for the report.
  signals jsonb NOT NULL DEFAULT '{}',
  CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX surges_one_active ON surges ((true)) WHERE ended_at IS NULL;
CREATE INDEX surges_started_idx ON surges (started_at DESC);
