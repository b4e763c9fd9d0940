-- E-mail in and out (issue 8): raw inbound mail first, message-ids per message, attachments,
-- support addresses, acknowledgement rate limit, customer-facing templates per language.

-- Every inbound mail as received, before any parsing: nothing is lost, malformed mail stays for inspection.
CREATE TABLE inbound_mail (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  received_at timestamptz NOT NULL,
  source text NOT NULL,
  envelope_from text,
  envelope_to text[] NOT NULL DEFAULT '{}',
  raw bytea NOT NULL,
  size_bytes int NOT NULL,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'ticket_created', 'threaded', 'duplicate', 'ignored', 'bounce', 'failed')),
  message_id text,
  ticket_id uuid REFERENCES tickets(id),
  message_row_id uuid REFERENCES messages(id),
  acknowledged boolean NOT NULL DEFAULT false,
  note text,
  processed_at timestamptz
);
CREATE INDEX inbound_mail_unprocessed_idx ON inbound_mail (received_at) WHERE status = 'received';
CREATE INDEX inbound_mail_ticket_idx ON inbound_mail (ticket_id);

-- Every RFC 5322 Message-ID we know, inbound and outbound, mapped to its ticket (threading, dedupe, loops).
CREATE TABLE mail_message_ids (
  message_id text PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  message_row_id uuid REFERENCES messages(id),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  created_at timestamptz NOT NULL
);
CREATE INDEX mail_message_ids_ticket_idx ON mail_message_ids (ticket_id, created_at);

-- Outbound delivery of a public reply, shown on the ticket: sent, failed (retrying / for good), bounced.
ALTER TABLE messages ADD COLUMN delivery_status text CHECK (delivery_status IN ('queued', 'sent', 'retrying', 'failed', 'bounced'));
ALTER TABLE messages ADD COLUMN delivery_error text;

CREATE TABLE mail_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  message_row_id uuid REFERENCES messages(id),
  inbound_mail_id uuid REFERENCES inbound_mail(id),
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes int NOT NULL,
  -- NULL when over the size limit: the raw mail still holds it.
  content bytea,
  created_at timestamptz NOT NULL
);
CREATE INDEX mail_attachments_message_idx ON mail_attachments (message_row_id);

CREATE TABLE support_addresses (
  address text PRIMARY KEY CHECK (address = lower(address)),
  group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
  default_type text NOT NULL DEFAULT 'technical_question',
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru', 'zh', 'bg')),
  created_at timestamptz NOT NULL
);

-- Acknowledgements sent per sender address, for the per-sender rate limit.
CREATE TABLE mail_ack_log (
  address text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX mail_ack_log_idx ON mail_ack_log (address, at);

-- Admin-edited customer-facing templates; the defaults live in code (core/email/templates.ts).
CREATE TABLE mail_templates (
  key text NOT NULL,
  language text NOT NULL CHECK (language IN ('en', 'ru', 'zh', 'bg')),
  subject text NOT NULL,
  body text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users(id),
  PRIMARY KEY (key, language)
);
