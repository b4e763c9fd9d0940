-- Search in the default order over every ticket (issue 17 item 3, bench:scale). The agent's order — next due
-- first, then oldest — had an index for unsolved tickets only (tickets_queue_idx), so a search over all tickets
-- ("view=all", solved and closed included) sorted every match: with common words, hundreds of thousands of
-- tickets at 1 M. Over all tickets, PostgreSQL can walk this index and stop at the page's last match
-- (app/tickets/list-tickets.ts). Its price is one more B-tree entry per ticket insert and per non-HOT update
-- (every update already is one: `updated_at` is indexed); migration 0145 dropped the GIN over subjects that each
-- of those paid for, with far more entries.
CREATE INDEX tickets_due_order_idx ON tickets ((COALESCE(sla_next_due_at, 'infinity'::timestamptz)), created_at, id);
