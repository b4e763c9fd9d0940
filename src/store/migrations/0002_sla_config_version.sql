-- A version number that changes with every write to SLA policies or calendars, so each Replyby
-- process can cache them and still see another process's edit on its next ticket change.
CREATE TABLE sla_config (
  id int PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO sla_config (id, version) VALUES (1, 1);

CREATE FUNCTION bump_sla_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sla_config SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER sla_policies_version AFTER INSERT OR UPDATE OR DELETE ON sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sla_config_version();
CREATE TRIGGER calendars_version AFTER INSERT OR UPDATE OR DELETE ON calendars
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sla_config_version();
