-- Arrivals per interval × group × channel (the forecast, the plan and the surge check; docs/planning.md): one
-- index-only scan over the history window instead of reading every ticket row of it. Partial like the reads
-- (merged-away duplicates are not arrivals); group and channel ride along so no heap page is visited.
CREATE INDEX tickets_arrivals_idx ON tickets (created_at) INCLUDE (group_id, channel) WHERE merged_into_id IS NULL;
