-- The order in which a ticket's Message-IDs were written, for the thread headers of the next mail
-- (app/email/mail-ids.ts): created_at ties whenever two mails are remembered in the same millisecond
-- (a transaction's `now`, a test clock), and In-Reply-To must name the latest one, and a retried send
-- must see exactly the mails written before its own first attempt.
ALTER TABLE mail_message_ids ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX mail_message_ids_ticket_idx;
CREATE INDEX mail_message_ids_ticket_idx ON mail_message_ids (ticket_id, seq);
