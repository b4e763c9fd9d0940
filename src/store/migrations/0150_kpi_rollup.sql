-- The KPI rollup (issue 18 item 5; docs/kpis.md "The rollup"): per UTC hour × the ticket's facets, what each KPI
-- needs — counts, and the exact durations (sorted) for the percentiles. Written only by app/reports/kpi-rollup.ts,
-- which follows ticket_events by seq (the worker's tail and every report read), never by intake.
-- kind: created (by tickets.created_at: volume, first-response minutes, unanswered, repeats), solved (by solved_at:
-- resolution minutes, reopened), asked (by a public customer message's created_at: minutes to the next public staff
-- reply, unanswered), moved (by an assignee_changed event's time: changes, the tickets), rated (closure_answers:
-- ratings, sum, 4–5), clock (by the ticket's created_at, per metric: met, breached), breached (by breached_at).
-- The tier is not stored: it is the organization's, read at query time, so a tier edit needs no rollup write.
CREATE TABLE kpi_rollup (
  hour timestamptz NOT NULL,
  kind text NOT NULL,
  metric text NOT NULL DEFAULT '',
  group_id uuid,
  assignee_id uuid,
  type text,
  priority text,
  channel text,
  organization_id uuid,
  sla_policy_id uuid,
  root_cause text NOT NULL,
  n int NOT NULL,
  open int NOT NULL DEFAULT 0,
  flag int NOT NULL DEFAULT 0,
  total float8 NOT NULL DEFAULT 0,
  vals float8[] NOT NULL DEFAULT '{}',
  ids uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX kpi_rollup_kind_hour_idx ON kpi_rollup (kind, hour);
CREATE INDEX kpi_rollup_hour_idx ON kpi_rollup (hour);

-- The rollup's cursor over ticket_events (as webhook_dispatch's): the highest seq applied and the seqs below it not
-- seen yet (a transaction that had not committed). last_seq -1: never built, the first refresh rebuilds it all.
CREATE TABLE kpi_rollup_cursor (
  id int PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,
  gaps jsonb NOT NULL DEFAULT '[]',
  rebuilt_at timestamptz,
  updated_at timestamptz
);
INSERT INTO kpi_rollup_cursor (id, last_seq) VALUES (1, -1);

-- Tickets whose facets or clocks changed without an event in their log (an SLA policy edit or an organization's tier
-- change re-selecting policies): the next refresh recomputes their hours, as for a ticket with new events.
CREATE TABLE kpi_rollup_dirty (ticket_id uuid PRIMARY KEY);
