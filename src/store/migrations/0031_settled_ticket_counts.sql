-- View counts at scale (issue 17, bench:scale). The workspace's view counts fold a rollup of every ticket by
-- status × group × assignee (app/tickets/count-views.ts); counting the solved and closed ones — 98 % of a
-- helpdesk's tickets, changing seldom — was one pass over the whole table after every change (≈1.3 s at 1 M
-- tickets). This ledger keeps their counts instead: one +1 / -1 row per change that moves a ticket into, out of
-- or within the settled statuses, summed by the reader and folded together now and then (insert-only, so
-- concurrent changes never wait on each other). Intake inserts unsolved tickets, which the trigger's WHEN skips.
CREATE TABLE ticket_settled_counts (
  status text NOT NULL,
  group_id uuid,
  assignee_id uuid,
  n bigint NOT NULL
);

INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n)
  SELECT status, group_id, assignee_id, count(*) FROM tickets WHERE status IN ('solved', 'closed') GROUP BY 1, 2, 3;

CREATE FUNCTION ticket_settled_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status IN ('solved', 'closed') THEN
    INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n) VALUES (OLD.status, OLD.group_id, OLD.assignee_id, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN ('solved', 'closed') THEN
    INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n) VALUES (NEW.status, NEW.group_id, NEW.assignee_id, 1);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_settled_insert AFTER INSERT ON tickets FOR EACH ROW
  WHEN (NEW.status IN ('solved', 'closed')) EXECUTE FUNCTION ticket_settled_counts_track();
CREATE TRIGGER tickets_settled_update AFTER UPDATE OF status, group_id, assignee_id ON tickets FOR EACH ROW
  WHEN ((OLD.status IN ('solved', 'closed') OR NEW.status IN ('solved', 'closed'))
        AND (OLD.status, OLD.group_id, OLD.assignee_id) IS DISTINCT FROM (NEW.status, NEW.group_id, NEW.assignee_id))
  EXECUTE FUNCTION ticket_settled_counts_track();
CREATE TRIGGER tickets_settled_delete AFTER DELETE ON tickets FOR EACH ROW
  WHEN (OLD.status IN ('solved', 'closed')) EXECUTE FUNCTION ticket_settled_counts_track();
