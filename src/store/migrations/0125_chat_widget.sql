-- The chat widget (issue 20 item 1): a third messenger channel kind. Its settings (allowed origins, rate
-- limits, title, colour) are one JSON document on the channel row, validated by app/channels/widget-settings.ts;
-- `signing_secret` keys the visitors' tokens (HMAC), so rotating it signs every visitor out.
ALTER TABLE channels DROP CONSTRAINT IF EXISTS channels_kind_check;
ALTER TABLE channels ADD CONSTRAINT channels_kind_check CHECK (kind IN ('telegram', 'webhook', 'widget'));
ALTER TABLE channels ADD COLUMN widget jsonb;
ALTER TABLE channels ADD CONSTRAINT channels_widget_check CHECK (kind <> 'widget' OR (signing_secret IS NOT NULL AND widget IS NOT NULL));

-- What a widget conversation shows, in order: the visitor's messages, agents' public replies and the
-- acknowledgement. `seq` counts per conversation and is taken under the conversation's row lock, so a
-- reader that has seen seq N has seen every earlier one (the reconnect cursor: nothing lost, nothing twice).
CREATE TABLE widget_messages (
  conversation_id uuid NOT NULL REFERENCES channel_conversations(id) ON DELETE CASCADE,
  seq int NOT NULL,
  author text NOT NULL CHECK (author IN ('visitor', 'agent', 'system')),
  author_name text,
  body text NOT NULL,
  ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
  -- The visitor's client id, the agent reply's message id or `ack-<ticket id>`: a retried send writes once.
  source_id text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, source_id)
);
