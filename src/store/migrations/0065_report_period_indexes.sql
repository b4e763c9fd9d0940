-- The reports read each KPI's rows by their own timestamp in the period (docs/kpis.md, bench:reports): without these
-- the KPI statement scanned every message and every event for the period's customer messages and reassignments,
-- and every ticket for the solved ones. Partial, so intake pays only for the rows a report reads: a customer's
-- public message, an assignee change, a breached clock, a solved ticket.
CREATE INDEX tickets_solved_at_idx ON tickets (solved_at) WHERE solved_at IS NOT NULL;
CREATE INDEX messages_customer_created_idx ON messages (created_at) WHERE kind = 'public' AND author_kind = 'contact';
CREATE INDEX ticket_events_reassigned_idx ON ticket_events (created_at) WHERE kind = 'assignee_changed';
CREATE INDEX sla_clocks_breached_idx ON sla_clocks (breached_at) WHERE breached_at IS NOT NULL;
