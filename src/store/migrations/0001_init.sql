-- Replyby base schema. Forward-only; every timestamp is timestamptz (UTC).

CREATE TABLE list_entries (
  list text NOT NULL CHECK (list IN ('ticket_type', 'priority', 'tier')),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL,
  position int NOT NULL DEFAULT 0,
  PRIMARY KEY (list, key)
);

INSERT INTO list_entries (list, key, label, position) VALUES
  ('ticket_type', 'technical_question', 'Technical question', 1),
  ('ticket_type', 'information_request', 'Information request', 2),
  ('ticket_type', 'complaint', 'Complaint', 3),
  ('ticket_type', 'suggestion', 'Suggestion / feedback', 4),
  ('ticket_type', 'quote', 'Quote / proposal', 5),
  ('ticket_type', 'custom_work', 'Custom-work inquiry', 6),
  ('ticket_type', 'urgent', 'Urgent', 7),
  ('priority', 'low', 'Low', 1),
  ('priority', 'normal', 'Normal', 2),
  ('priority', 'high', 'High', 3),
  ('priority', 'urgent', 'Urgent', 4),
  ('tier', 'standard', 'Standard', 1),
  ('tier', 'priority', 'Priority', 2),
  ('tier', 'enterprise', 'Enterprise', 3),
  ('tier', 'vip', 'VIP', 4);

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  tier text NOT NULL DEFAULT 'standard',
  domains text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  time_zone text NOT NULL DEFAULT 'UTC',
  organization_id uuid REFERENCES organizations(id),
  is_org_manager boolean NOT NULL DEFAULT false,
  password_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX contacts_organization_idx ON contacts (organization_id);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  time_zone text NOT NULL DEFAULT 'UTC',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  -- Where requests without a routing decision land (web form, e-mail).
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX groups_one_default ON groups (is_default) WHERE is_default;

CREATE TABLE group_members (
  group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

CREATE SEQUENCE ticket_number_seq START 1001;

CREATE TABLE tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number int NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
  subject text NOT NULL,
  type text NOT NULL,
  priority text NOT NULL,
  status text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  stage text NOT NULL,
  channel text NOT NULL,
  requester_id uuid NOT NULL REFERENCES contacts(id),
  organization_id uuid REFERENCES organizations(id),
  group_id uuid REFERENCES groups(id),
  assignee_id uuid REFERENCES users(id),
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  first_responded_at timestamptz,
  solved_at timestamptz,
  closed_at timestamptz,
  -- SLA clocks as last computed from the event log (see core/sla); the queue sorts on sla_next_due_at.
  sla_policy_id uuid,
  sla_next_due_at timestamptz,
  sla_breached boolean NOT NULL DEFAULT false,
  sla_state jsonb
);
CREATE INDEX tickets_status_group_idx ON tickets (group_id, status);
CREATE INDEX tickets_queue_idx ON tickets ((COALESCE(sla_next_due_at, 'infinity'::timestamptz)), created_at, id) WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX tickets_requester_idx ON tickets (requester_id);
CREATE INDEX tickets_organization_idx ON tickets (organization_id);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id);
CREATE INDEX tickets_created_idx ON tickets (created_at, id);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  kind text NOT NULL CHECK (kind IN ('public', 'internal', 'automatic')),
  author_kind text NOT NULL CHECK (author_kind IN ('user', 'contact', 'system')),
  author_id uuid,
  body_text text NOT NULL,
  body_html text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_ticket_idx ON messages (ticket_id, created_at);

-- Append-only: the source of truth for SLA clocks, audit and reports.
CREATE TABLE ticket_events (
  seq bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'contact', 'system', 'api')),
  actor_id uuid,
  kind text NOT NULL,
  before jsonb,
  after jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, seq);

CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only';
END;
$$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  principal_kind text NOT NULL CHECK (principal_kind IN ('user', 'contact')),
  principal_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE magic_links (
  token_hash text PRIMARY KEY,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  next_path text NOT NULL DEFAULT '/portal',
  -- A request's "follow" link may be opened again and again (as in Zendesk); e-mailed sign-in links work once.
  reusable boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Transactional outbox: written in the same transaction as the change that causes it.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  run_at timestamptz NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  done_at timestamptz,
  last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (run_at) WHERE done_at IS NULL;

CREATE TABLE calendars (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  spec jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE sla_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  position int NOT NULL,
  active boolean NOT NULL DEFAULT true,
  match text NOT NULL DEFAULT 'all' CHECK (match IN ('all', 'any')),
  conditions jsonb NOT NULL DEFAULT '[]',
  calendar_id uuid REFERENCES calendars(id),
  pause_statuses text[] NOT NULL DEFAULT '{pending}',
  metrics jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
