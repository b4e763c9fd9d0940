-- E-mail (issues 8 and 9): the support address a ticket came in through, for the triggers' support_address
-- condition on every event; the quoted history of an inbound mail, shown folded under its new part.
ALTER TABLE tickets ADD COLUMN support_address text;
ALTER TABLE messages ADD COLUMN body_quoted text;
