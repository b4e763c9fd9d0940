-- Messenger channels (issue 20 item 2): a Telegram bot or a generic signed webhook, each a row here.
CREATE TABLE channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('telegram', 'webhook')),
  name text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  -- The group a new request from this channel starts in (null: the default group).
  group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
  -- Telegram: the bot token, needed in clear to call the Bot API; never selected for an API answer.
  bot_token text,
  -- Telegram: SHA-256 of the secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token (only ever compared).
  secret_sha256 bytea,
  -- Generic webhook: the HMAC key, needed in clear to sign and verify; shown once when created.
  signing_secret text,
  -- Generic webhook: where replies and the acknowledgement are POSTed.
  outbound_url text,
  created_at timestamptz NOT NULL,
  CHECK (kind <> 'telegram' OR (bot_token IS NOT NULL AND secret_sha256 IS NOT NULL)),
  CHECK (kind <> 'webhook' OR (signing_secret IS NOT NULL AND outbound_url IS NOT NULL))
);

-- One chat (Telegram chat id, the generic channel's conversation_id) = one contact, and its open ticket.
CREATE TABLE channel_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  external_id text NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  -- The ticket later messages append to while it is not solved or closed.
  ticket_id uuid REFERENCES tickets(id),
  created_at timestamptz NOT NULL,
  UNIQUE (channel_id, external_id)
);

-- Every ticket a conversation opened: where its replies go, long after the conversation moved on.
CREATE TABLE channel_tickets (
  ticket_id uuid PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES channel_conversations(id) ON DELETE CASCADE
);
CREATE INDEX channel_tickets_conversation_idx ON channel_tickets (conversation_id);

-- Inbound updates seen, by the channel's own id (Telegram update_id, the generic message id): a
-- redelivered one is found here and ignored.
CREATE TABLE channel_inbound (
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  external_id text NOT NULL,
  status text NOT NULL,
  ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (channel_id, external_id)
);
