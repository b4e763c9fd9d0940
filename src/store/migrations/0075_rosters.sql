-- Rosters (issue 19 item 2): one document per agent — zone, country, weekly shifts, dated exceptions, on-call
-- periods — validated by src/core/planning/roster.ts before it is written. Routing, staff mail timing,
-- escalation recipients, the promise's live prediction and the plan read it whole; an agent without a row
-- keeps the behaviour from before rosters (their routing calendar and working-hours calendar).
CREATE TABLE rosters (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  spec jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL
);
