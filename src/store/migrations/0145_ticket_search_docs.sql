-- Ticket search at 1 M tickets (issue 17 item 3, bench:scale). Staff search looked words up in two GIN indexes,
-- one over the subjects of tickets and one over the bodies of 5 M messages: a common pair of words matched
-- ≈100,000 messages, each a heap visit to `messages` (3.5 GB) to learn its ticket, before a single ticket was
-- sorted (3.1 s p95). One search document per ticket — its subject and the text of every message, positions
-- stripped — makes a match a ticket, found in one GIN index and read from a narrow table.
--
-- The documents are kept by triggers, so no writer can forget them: a new message adds its words (an upsert,
-- no recount); an edited, moved (merge) or deleted message and a changed subject rebuild the ticket's document
-- from its rows (rare: erasure, merges, subject edits). The two old GIN indexes served ticket search only and
-- are dropped, so a message insert now updates one GIN index instead of one, and a ticket update none instead
-- of one (every non-HOT update of `tickets` re-inserted its subject's words).
CREATE TABLE ticket_search_docs (
  ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  doc tsvector NOT NULL
);

CREATE FUNCTION ticket_search_doc_build(p_ticket uuid) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT strip(to_tsvector('simple', COALESCE((SELECT t.subject FROM tickets t WHERE t.id = p_ticket), ''))
         || COALESCE((SELECT to_tsvector('simple', string_agg(m.body_text, E'\n')) FROM messages m WHERE m.ticket_id = p_ticket), ''::tsvector))
$$;

CREATE FUNCTION ticket_search_doc_refresh(p_ticket uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_search_docs (ticket_id, doc)
    SELECT t.id, ticket_search_doc_build(t.id) FROM tickets t WHERE t.id = p_ticket
  ON CONFLICT (ticket_id) DO UPDATE SET doc = EXCLUDED.doc
$$;

CREATE FUNCTION ticket_search_docs_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- A reply that brings no new word leaves the row alone (no new row version, nothing for the GIN index).
    INSERT INTO ticket_search_docs AS d (ticket_id, doc) VALUES (NEW.ticket_id, strip(to_tsvector('simple', NEW.body_text)))
    ON CONFLICT (ticket_id) DO UPDATE SET doc = d.doc || EXCLUDED.doc WHERE d.doc || EXCLUDED.doc <> d.doc;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM ticket_search_doc_refresh(NEW.ticket_id);
    IF OLD.ticket_id IS DISTINCT FROM NEW.ticket_id THEN PERFORM ticket_search_doc_refresh(OLD.ticket_id); END IF;
    RETURN NULL;
  END IF;
  PERFORM ticket_search_doc_refresh(OLD.ticket_id);
  RETURN NULL;
END;
$$;

CREATE FUNCTION ticket_search_docs_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_search_docs (ticket_id, doc) VALUES (NEW.id, strip(to_tsvector('simple', COALESCE(NEW.subject, ''))))
    ON CONFLICT (ticket_id) DO NOTHING;
  ELSE
    PERFORM ticket_search_doc_refresh(NEW.id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER messages_search_doc_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION ticket_search_docs_on_message();
CREATE TRIGGER messages_search_doc_update AFTER UPDATE OF body_text, ticket_id ON messages FOR EACH ROW
  WHEN (OLD.body_text IS DISTINCT FROM NEW.body_text OR OLD.ticket_id IS DISTINCT FROM NEW.ticket_id)
  EXECUTE FUNCTION ticket_search_docs_on_message();
CREATE TRIGGER messages_search_doc_delete AFTER DELETE ON messages FOR EACH ROW EXECUTE FUNCTION ticket_search_docs_on_message();
CREATE TRIGGER tickets_search_doc_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_docs_on_ticket();
CREATE TRIGGER tickets_search_doc_update AFTER UPDATE OF subject ON tickets FOR EACH ROW
  WHEN (OLD.subject IS DISTINCT FROM NEW.subject) EXECUTE FUNCTION ticket_search_docs_on_ticket();

INSERT INTO ticket_search_docs (ticket_id, doc)
  SELECT t.id, strip(to_tsvector('simple', COALESCE(t.subject, '')) || COALESCE(m.doc, ''::tsvector))
    FROM tickets t
    LEFT JOIN (SELECT ticket_id, to_tsvector('simple', string_agg(body_text, E'\n')) AS doc FROM messages GROUP BY ticket_id) m ON m.ticket_id = t.id;

CREATE INDEX ticket_search_docs_doc_idx ON ticket_search_docs USING gin (doc);
-- The planner picks between walking a sort's index and the GIN postings by the words' frequencies: give it them.
ANALYZE ticket_search_docs;

DROP INDEX tickets_subject_fts_idx;
DROP INDEX messages_body_fts_idx;
