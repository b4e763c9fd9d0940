-- The planner's view of unassigned work (issue 17, bench:scale). Unassigned tickets are nearly all unsolved, but
-- the planner multiplied the two selectivities as if independent (2 % unsolved × 1 % unassigned) and expected 82
-- of the 7,923 unassigned unsolved tickets at 1 M: the supervisor's "unassigned" view then read all of them
-- through the group-queue index and sorted them (0.8 s) instead of walking the queue index in due order and
-- stopping at 51 rows (38 ms). A multi-column MCV list teaches it the combination; no index, nothing for intake.
CREATE STATISTICS tickets_status_assignee_stats (mcv) ON status, assignee_id FROM tickets;
ANALYZE tickets;
