-- Integrations (issue 21 item 6): lifecycle webhooks derived from ticket_events, a delivery log,
-- API token scopes and per-token rate limits. docs/integrations.md.

-- A webhook receives lifecycle events written after it was created (never the history before it).
ALTER TABLE webhooks ADD COLUMN since_seq bigint NOT NULL DEFAULT 0;
UPDATE webhooks SET since_seq = (SELECT COALESCE(max(seq), 0) FROM ticket_events);

-- The dispatcher's one cursor over ticket_events: the highest seq read, and the seqs below it not seen
-- yet (a transaction still open when a later seq committed), each with the instant it was first missed.
-- One row, locked FOR UPDATE SKIP LOCKED by the worker that dispatches (a second worker skips the turn).
CREATE TABLE webhook_dispatch (
  id int PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,
  gaps jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz
);
INSERT INTO webhook_dispatch (id, last_seq) SELECT 1, COALESCE(max(seq), 0) FROM ticket_events;

-- Every delivery to a receiver: lifecycle events (one per webhook × ticket event, unique) and the staff
-- events of notify() (recorded at their first attempt). The outbox runs the attempts; this is the log.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event text NOT NULL,
  event_seq bigint,
  ticket_id uuid,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'dead')),
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  response_code int,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (webhook_id, event_seq)
);
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (created_at DESC, id);
CREATE INDEX webhook_deliveries_dead_idx ON webhook_deliveries (webhook_id) WHERE status = 'dead';

-- Scopes: read (GET), tickets (ticket and reply writes), admin (everything the owner may do).
-- Tokens made before scopes existed keep the full rights of their owner.
ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,tickets,admin}';
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_known CHECK (scopes <@ '{read,tickets,admin}'::text[] AND cardinality(scopes) > 0);
-- Requests per minute; null = the server's default (REPLYBY_TOKEN_RATE_LIMIT).
ALTER TABLE api_tokens ADD COLUMN rate_limit_per_minute int CHECK (rate_limit_per_minute BETWEEN 1 AND 100000);

-- One fixed one-minute window per token, counted in the database so every web process shares it.
CREATE TABLE api_token_usage (
  token_id uuid PRIMARY KEY REFERENCES api_tokens(id) ON DELETE CASCADE,
  window_start timestamptz NOT NULL,
  count int NOT NULL
);
