-- Admin gaps of issue 9: retiring diagnosis fields and archiving knowledge-base articles.

-- A retired field is no longer offered on tickets; values already stored on tickets stay.
ALTER TABLE diagnosis_fields ADD COLUMN active boolean NOT NULL DEFAULT true;

-- Archived articles leave the help centre, search and suggestions but can be restored (Zendesk Guide's
-- "archive"); archiving an original archives its translations at the same instant.
ALTER TABLE kb_articles ADD COLUMN archived_at timestamptz;
