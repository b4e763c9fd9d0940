-- Importing a team's history (issue 18, specs/import-events.md): each imported ticket keeps the id it had in
-- its source system, unique per source, so importing the same file again creates nothing.
ALTER TABLE tickets ADD COLUMN import_source text;
ALTER TABLE tickets ADD COLUMN external_id text;
ALTER TABLE tickets ADD CONSTRAINT tickets_import_pair CHECK ((import_source IS NULL) = (external_id IS NULL));
CREATE UNIQUE INDEX tickets_import_external_idx ON tickets (import_source, external_id) WHERE external_id IS NOT NULL;

-- A requester known to the source only by a name (a caller id) is a contact without an e-mail address.
ALTER TABLE contacts ALTER COLUMN email DROP NOT NULL;

-- One row per import run (CLI or API, dry runs included): its progress while it runs, its report after.
CREATE TABLE imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('events', 'tickets')),
  source text,
  file_name text NOT NULL,
  dry_run boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'mapping_error', 'failed')),
  rows_read int NOT NULL DEFAULT 0,
  rows_total int,
  tickets_total int,
  tickets_written int NOT NULL DEFAULT 0,
  tickets_existing int NOT NULL DEFAULT 0,
  tickets_rejected int NOT NULL DEFAULT 0,
  rows_rejected int NOT NULL DEFAULT 0,
  -- [{ line, field, message, case_id }] in file order, at most 1,000 (errors_total counts them all).
  errors jsonb NOT NULL DEFAULT '[]',
  errors_total int NOT NULL DEFAULT 0,
  -- { policy name: tickets } and { groups, agents, requesters, types } created.
  policies jsonb NOT NULL DEFAULT '{}',
  created jsonb NOT NULL DEFAULT '{}',
  exit_code int,
  created_by uuid REFERENCES users(id),
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX imports_started_idx ON imports (started_at DESC);
