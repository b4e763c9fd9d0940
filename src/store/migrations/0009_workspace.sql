-- Agent workspace: saved views, follow-up tickets, search indexes.

-- A person's saved queue views: filters, sort and columns as the web client sends them (validated by zod in app/).
CREATE TABLE saved_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (user_id, name)
);

-- A follow-up to a closed ticket points at it (closed tickets stay read-only).
ALTER TABLE tickets ADD COLUMN follow_up_of uuid REFERENCES tickets(id);

-- Server-side search over subject, message bodies and requester: word-prefix full-text search with the
-- 'simple' configuration (no stemming, so it works the same for en, ru, bg; zh matches whole runs).
CREATE INDEX tickets_subject_fts_idx ON tickets USING gin (to_tsvector('simple', subject));
CREATE INDEX messages_body_fts_idx ON messages USING gin (to_tsvector('simple', body_text));
CREATE INDEX contacts_fts_idx ON contacts USING gin (to_tsvector('simple', coalesce(name, '') || ' ' || email));
-- Views: unassigned work and "my tickets" by status.
CREATE INDEX tickets_assignee_status_idx ON tickets (assignee_id, status);
CREATE INDEX tickets_status_updated_idx ON tickets (status, updated_at DESC, id);
