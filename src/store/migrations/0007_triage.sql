-- Triage and agent tools (issue 9): triggers, classifier, stages, diagnosis, macros, knowledge base, repeat contacts.

-- Ordered rules evaluated on ticket events; conditions and actions are validated by core/triage/trigger-schema.ts.
CREATE TABLE triggers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  position int NOT NULL,
  active boolean NOT NULL DEFAULT true,
  events text[] NOT NULL DEFAULT '{created}',
  match text NOT NULL DEFAULT 'all' CHECK (match IN ('all', 'any')),
  conditions jsonb NOT NULL DEFAULT '[]',
  actions jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX triggers_position_idx ON triggers (position);

ALTER TABLE tickets ADD COLUMN language text;
-- The classifier's suggestion when it was not confident enough to apply it: { type, priority } each { label, confidence }.
ALTER TABLE tickets ADD COLUMN triage_suggestion jsonb;
ALTER TABLE tickets ADD COLUMN diagnosis jsonb NOT NULL DEFAULT '{}';
-- Repeat contact: the solved ticket this one repeats (same requester or organization, similar subject).
ALTER TABLE tickets ADD COLUMN repeat_of_id uuid REFERENCES tickets(id);
CREATE INDEX tickets_solved_requester_idx ON tickets (requester_id, solved_at) WHERE solved_at IS NOT NULL;
CREATE INDEX tickets_solved_org_idx ON tickets (organization_id, solved_at) WHERE solved_at IS NOT NULL;

-- Structured diagnosis fields; admins add their own.
CREATE TABLE diagnosis_fields (
  key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL,
  options text[] NOT NULL DEFAULT '{}',
  position int NOT NULL DEFAULT 0
);
INSERT INTO diagnosis_fields (key, label, options, position) VALUES
  ('impact', 'Impact', '{low,medium,high,critical}', 1),
  ('affected_service', 'Affected service', '{}', 2),
  ('root_cause_category', 'Root-cause category', '{software_defect,configuration,user_error,third_party,infrastructure,unknown}', 3);

CREATE TABLE triage_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
INSERT INTO triage_settings (key, value) VALUES ('classifier_threshold', '0.8'), ('repeat_window_days', '14');

-- One row per training run; the newest per target is the live model.
CREATE TABLE classifier_models (
  id bigserial PRIMARY KEY,
  target text NOT NULL CHECK (target IN ('type', 'priority')),
  model jsonb NOT NULL,
  examples int NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX classifier_models_target_idx ON classifier_models (target, id DESC);

CREATE TABLE macros (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  language text NOT NULL,
  body text NOT NULL,
  -- NULL: shared with every agent; otherwise personal to this user.
  owner_id uuid REFERENCES users(id),
  actions jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX macros_owner_idx ON macros (owner_id);

CREATE TABLE kb_categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  position int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);

CREATE TABLE kb_articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id uuid REFERENCES kb_categories(id),
  language text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published', 'internal')),
  -- A translation points to the article it translates.
  original_id uuid REFERENCES kb_articles(id),
  author_id uuid REFERENCES users(id),
  -- Written with the row from normalised text (core/triage/search-text.ts) under the language's text-search config.
  search tsvector NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);
CREATE INDEX kb_articles_category_idx ON kb_articles (category_id);
CREATE UNIQUE INDEX kb_articles_one_translation ON kb_articles (original_id, language) WHERE original_id IS NOT NULL;
