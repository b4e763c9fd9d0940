-- Safe retries (issue 21): a creating POST sent with an Idempotency-Key header is answered once; the same key
-- with the same request replays the stored answer, with another request it is refused. Keys live 24 hours.
CREATE TABLE idempotency_keys (
  -- Who sent it ('user:<id>', 'contact:<id>', 'public:<address>' for the unauthenticated web form) and their key:
  -- two clients may choose the same key without seeing each other's answers.
  scope text NOT NULL,
  key text NOT NULL,
  -- The request it was first used for: method, path and a SHA-256 of the body.
  fingerprint text NOT NULL,
  status integer,
  response jsonb,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
