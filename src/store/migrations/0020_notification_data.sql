-- In-app notifications keep their structured facts (metric, due instant, level, trigger), so the bell can
-- say them in the reader's language and time zone instead of the English title written at the time.
ALTER TABLE notifications ADD COLUMN data jsonb NOT NULL DEFAULT '{}'::jsonb;
