import type { TriggerRule } from '../../core/triage/evaluate-triggers.ts';
import type { TriggerActions, TriggerCondition, TriggerEvent } from '../../core/triage/trigger-schema.ts';
import type { Queryable } from '../../store/db.ts';

export type TriggerRow = {
  id: string; name: string; position: number; active: boolean; events: TriggerEvent[]; match: 'all' | 'any';
  conditions: TriggerCondition[]; actions: TriggerActions; created_at: Date; updated_at: Date;
};

export async function loadTriggers(q: Queryable, activeOnly: boolean): Promise<TriggerRow[]> {
  return q.query<TriggerRow>(`SELECT * FROM triggers ${activeOnly ? 'WHERE active' : ''} ORDER BY position, created_at, id`);
}

export const asRule = (r: TriggerRow): TriggerRule => r;
