-- One store for admin settings (review finding: triage_settings and lifecycle_settings were the same
-- key-value mechanism twice). One row per section; its value is the section's object, validated and given
-- its defaults by the section's zod schema in src/app/settings. Existing rows move over unchanged.
CREATE TABLE settings (
  section text PRIMARY KEY CHECK (section ~ '^[a-z][a-z0-9_]{0,39}$'),
  value jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(value) = 'object')
);
INSERT INTO settings (section, value) SELECT 'triage', COALESCE(jsonb_object_agg(key, value), '{}') FROM triage_settings;
INSERT INTO settings (section, value) SELECT 'lifecycle', COALESCE(jsonb_object_agg(key, value), '{}') FROM lifecycle_settings;
DROP TABLE triage_settings;
DROP TABLE lifecycle_settings;
