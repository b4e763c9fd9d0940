-- Side conversations (docs/side-conversations.md): a ticket's separate threads with another group (internal)
-- or an outside address (e-mail). Never on the customer's conversation: own tables, own Message-IDs.
CREATE TABLE side_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('group', 'email')),
  group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
  external_address text,
  subject text NOT NULL,
  -- The threading key in the subject ([SC-<token>]) and the plus address (support+sc-<token>@…).
  token text NOT NULL UNIQUE,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'waiting', 'closed')),
  -- The clock: time waited for the other party, and since when it waits now.
  waited_ms bigint NOT NULL DEFAULT 0,
  waiting_since timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((kind = 'group') = (external_address IS NULL))
);
CREATE INDEX side_conversations_ticket ON side_conversations (ticket_id, created_at);

CREATE TABLE side_conversation_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Write order: a thread's messages of the same instant keep it (References follow it).
  seq bigint GENERATED ALWAYS AS IDENTITY,
  side_conversation_id uuid NOT NULL REFERENCES side_conversations(id) ON DELETE CASCADE,
  -- ours: written from the ticket's side; theirs: the other party (a reply by mail, or the group's member).
  side text NOT NULL CHECK (side IN ('ours', 'theirs')),
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,
  from_address text,
  body_text text NOT NULL,
  -- The Message-ID sent or received: threading and dedupe (unique).
  message_id text UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX side_conversation_messages_thread ON side_conversation_messages (side_conversation_id, seq);
