-- Surges per group (issue 19 item 5, docs/surge.md): an admin sets a group's surge thresholds; the worker then
-- watches that group's arrivals and backlog on their own, besides the whole team's. At most one active surge per
-- scope (the team: group_id NULL, or one group): the partial unique index keeps each start exactly-once across
-- workers, as 0060's did for the single team-wide surge.
ALTER TABLE surges ADD COLUMN group_id uuid REFERENCES groups(id) ON DELETE CASCADE;
DROP INDEX surges_one_active;
CREATE UNIQUE INDEX surges_one_active ON surges ((COALESCE(group_id, '00000000-0000-0000-0000-000000000000'::uuid))) WHERE ended_at IS NULL;

CREATE TABLE surge_thresholds (
  group_id uuid PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
  -- false: kept but not watched (the group's tickets still count in the team-wide check).
  enabled boolean NOT NULL DEFAULT true,
  -- Arrivals above the band must also exceed the expected count by this many requests in a half hour.
  min_extra_arrivals integer NOT NULL CHECK (min_extra_arrivals BETWEEN 1 AND 100000),
  -- Backlog ratio (work ÷ agent-minutes before the dues) above which a surge starts, and at or below which it is calm.
  backlog_start double precision NOT NULL CHECK (backlog_start > 0 AND backlog_start <= 10),
  backlog_calm double precision NOT NULL CHECK (backlog_calm > 0 AND backlog_calm < backlog_start),
  -- Minutes every signal must stay calm before the group's surge ends by itself.
  calm_minutes integer NOT NULL CHECK (calm_minutes BETWEEN 0 AND 1440),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users(id)
);
