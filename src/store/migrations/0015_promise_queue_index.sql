-- The promise's live prediction counts the unanswered tickets of a group that the queue serves before a new
-- one (due no later): an index over exactly those rows, so intake does not scan the group's history.
CREATE INDEX tickets_unanswered_due_idx ON tickets (group_id, sla_next_due_at)
  WHERE status IN ('new', 'open') AND first_responded_at IS NULL AND merged_into_id IS NULL;
