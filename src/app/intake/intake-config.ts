import type { Queryable } from '../../store/db.ts';
import type { GroupRouting } from '../../store/repos/routing-repo.ts';
import { loadSlaConfig, type SlaConfig } from '../sla/sla-config.ts';
import { loadTriggers, type TriggerRow } from '../triage/load-triggers.ts';

/**
 * Everything intake reads per ticket that an admin changes rarely: SLA policies and calendars, the active
 * triggers, the groups (default, routing mode, skills) and the list entries (types, priorities). All of them
 * bump `sla_config.version` on every write (migrations 0002, 0030), so one tiny read per intake tells whether
 * this process's copy is current — the same exactness as before, in one round trip instead of seven.
 */
export type IntakeConfig = {
  version: string;
  sla: SlaConfig;
  triggers: readonly TriggerRow[];
  defaultGroupId: string | null;
  groups: ReadonlyMap<string, GroupRouting>;
  /** `list:key` → whether a customer may choose it (only some types are staff-only). */
  listEntries: ReadonlyMap<string, { customerSelectable: boolean }>;
};

const cache = new WeakMap<object, IntakeConfig>();

export async function loadIntakeConfig(q: Queryable): Promise<IntakeConfig> {
  const [row] = await q.query<{ version: string }>('SELECT version::text AS version FROM sla_config WHERE id = 1');
  const version = row?.version ?? '0';
  const cached = cache.get(q.cacheScope);
  if (cached && cached.version === version) return cached;
  // Read after the version: an edit committed in between makes the copy newer than its tag, and the next
  // intake (seeing the newer version) reads it again — never the other way round.
  // One after another: a transaction's connection runs one query at a time anyway.
  const sla = await loadSlaConfig(q);
  const triggers = await loadTriggers(q, true);
  const groups = await q.query<GroupRouting & { is_default: boolean }>('SELECT id, assignment_mode, skills, is_default FROM groups');
  const entries = await q.query<{ list: string; key: string; customer_selectable: boolean }>('SELECT list, key, customer_selectable FROM list_entries');
  const config: IntakeConfig = {
    version, sla, triggers,
    defaultGroupId: groups.find((g) => g.is_default)?.id ?? null,
    groups: new Map(groups.map((g) => [g.id, { id: g.id, assignment_mode: g.assignment_mode, skills: g.skills }])),
    listEntries: new Map(entries.map((e) => [`${e.list}:${e.key}`, { customerSelectable: e.customer_selectable }])),
  };
  cache.set(q.cacheScope, config);
  return config;
}
