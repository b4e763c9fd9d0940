-- tickets_assignee_idx (assignee_id) is a prefix of tickets_assignee_status_idx (assignee_id, status): every
-- lookup by assignee (and the foreign key's check when a user is removed) can use the longer index, while
-- every new ticket paid for maintaining both (issue 17: intake's write is most of its PostgreSQL time).
DROP INDEX IF EXISTS tickets_assignee_idx;
