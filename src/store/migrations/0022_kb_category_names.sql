-- Knowledge-base category names per language (review 2026-12-07 item 24: the Bulgarian help centre showed English
-- categories). `name` stays the default (unique, what staff see); `names` holds the translations, e.g.
-- {"bg": "Фактуриране", "ru": "Оплата"}, and a reader's language falls back to `name` when it has none.
ALTER TABLE kb_categories ADD COLUMN names jsonb NOT NULL DEFAULT '{}'::jsonb;
