import type { FieldError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type NamedGroup = { id: string; name: string };

/**
 * Ownership clocks name a group in a custom metric's `start_on` / `stop_on` as `group:<key>` (issue 20 item 3).
 * The key an admin writes may be the group's id or its name (surrounding spaces ignored; case too, unless two
 * groups' names differ only by case); it is stored as `group:<id>`, so renaming a group never breaks a policy. A key that names no group
 * is an error at its own path (`metrics.0.start_on.1`), not a clock that silently never runs.
 */
export function resolveGroupKinds(raw: unknown, groups: readonly NamedGroup[]): { value: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isRecord(raw) || !Array.isArray(raw.metrics)) return { value: raw, errors };
  // Names are unique as written, not across case: an exact match wins, and a key two groups share only up to case
  // is refused rather than guessed.
  const exact = new Map(groups.map((g) => [g.name.trim(), g.id]));
  const folded = new Map<string, string[]>();
  for (const g of groups) folded.set(g.name.trim().toLowerCase(), [...(folded.get(g.name.trim().toLowerCase()) ?? []), g.id]);
  const ids = new Set(groups.map((g) => g.id));
  const metrics = raw.metrics.map((metric: unknown, i: number) => {
    if (!isRecord(metric)) return metric;
    const out: Record<string, unknown> = { ...metric };
    for (const field of ['start_on', 'stop_on'] as const) {
      const kinds = metric[field];
      if (!Array.isArray(kinds)) continue;
      out[field] = kinds.map((kind: unknown, j: number) => {
        if (typeof kind !== 'string' || !kind.startsWith('group:')) return kind;
        const key = kind.slice('group:'.length).trim();
        const byCase = folded.get(key.toLowerCase()) ?? [];
        const id = UUID.test(key.toLowerCase()) && ids.has(key.toLowerCase()) ? key.toLowerCase() : exact.get(key) ?? (byCase.length === 1 ? byCase[0] : undefined);
        if (id) return `group:${id}`;
        errors.push({ path: `metrics.${i}.${field}.${j}`, message: byCase.length > 1 ? `several groups are named "${key}" up to case; use the exact name or the id` : `no group has the id or name "${key}"` });
        return kind;
      });
    }
    return out;
  });
  return { value: { ...raw, metrics }, errors };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
