-- Intake reads the triggers, the groups (default group, routing mode, skills) and the list entries (types,
-- priorities) for every new ticket. They change as rarely as SLA policies, so they share sla_config's version:
-- one tiny read per intake tells each process whether its cached copy of all of them is current (exact across
-- processes, and a process sees its own admin's edit at once, unlike a NOTIFY that arrives after the commit).
CREATE TRIGGER triggers_config_version AFTER INSERT OR UPDATE OR DELETE ON triggers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sla_config_version();
CREATE TRIGGER groups_config_version AFTER INSERT OR UPDATE OR DELETE ON groups
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sla_config_version();
CREATE TRIGGER list_entries_config_version AFTER INSERT OR UPDATE OR DELETE ON list_entries
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sla_config_version();
