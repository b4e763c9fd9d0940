import { DateTime } from 'luxon';
import { patternMatches } from './safe-pattern.ts';
import type { TriggerActions, TriggerCondition, TriggerEvent } from './trigger-schema.ts';
import type { TriggerSend } from './trigger-messages.ts';

/** What a rule can look at. `now` is a parameter: core never asks the clock. */
export type TicketFacts = {
  channel: string;
  support_address: string | null;
  requester_email: string;
  organization_id: string | null;
  tier: string | null;
  type: string;
  priority: string;
  language: string | null;
  tags: string[];
  subject: string;
  body: string;
  group_id: string | null;
  assignee_id: string | null;
};

export type TriggerRule = {
  id: string;
  name: string;
  active: boolean;
  events: readonly TriggerEvent[];
  match: 'all' | 'any';
  conditions: readonly TriggerCondition[];
  actions: TriggerActions;
};

export type FieldChanges = Partial<Pick<TicketFacts, 'type' | 'priority' | 'group_id' | 'assignee_id' | 'tags'>>;
export type RuleFiring = { ruleId: string; ruleName: string; changes: FieldChanges; note: string | null; sends: TriggerSend[] };

/**
 * Rules run in order, each seeing the ticket as the rules before it left it (so a later rule can react
 * to an earlier one's tag). A rule fires when its conditions hold and it would change something or add
 * a note; it fires at most once per evaluation, so rules cannot loop.
 */
export function evaluateTriggers(rules: readonly TriggerRule[], initial: TicketFacts, event: TriggerEvent, now: Date): { firings: RuleFiring[]; facts: TicketFacts } {
  let facts = initial;
  const firings: RuleFiring[] = [];
  for (const rule of rules) {
    if (!rule.active || !rule.events.includes(event)) continue;
    if (!conditionsHold(rule, facts, now)) continue;
    const changes = changesOf(rule.actions, facts);
    const note = rule.actions.internal_note ?? null;
    const sends = sendsOf(rule.actions);
    if (Object.keys(changes).length === 0 && note === null && sends.length === 0) continue;
    firings.push({ ruleId: rule.id, ruleName: rule.name, changes, note, sends });
    facts = { ...facts, ...changes };
  }
  return { firings, facts };
}

/** The mails and webhook call a rule's actions ask for (recipients are resolved when the firing is written). */
export function sendsOf(a: TriggerActions): TriggerSend[] {
  const out: TriggerSend[] = [];
  if (a.email_requester) out.push({ kind: 'email', to: 'requester', email: a.email_requester });
  if (a.email_assignee) out.push({ kind: 'email', to: 'assignee', email: a.email_assignee });
  if (a.email_group) out.push({ kind: 'email', to: 'group', email: a.email_group });
  if (a.webhook_id) out.push({ kind: 'webhook', webhookId: a.webhook_id });
  return out;
}

export function conditionsHold(rule: Pick<TriggerRule, 'match' | 'conditions'>, facts: TicketFacts, now: Date): boolean {
  if (rule.conditions.length === 0) return true;
  const results = rule.conditions.map((c) => conditionHolds(c, facts, now));
  return rule.match === 'all' ? results.every(Boolean) : results.some(Boolean);
}

export function conditionHolds(c: TriggerCondition, f: TicketFacts, now: Date): boolean {
  switch (c.field) {
    case 'channel':
    case 'type':
    case 'priority':
    case 'tier':
    case 'organization_id':
    case 'language':
    case 'support_address': {
      const actual = f[c.field];
      const hit = actual !== null && (c.value as readonly string[]).includes(c.field === 'support_address' ? actual.toLowerCase() : actual);
      return c.op === 'is' ? hit : !hit;
    }
    case 'requester_email': {
      const email = f.requester_email.toLowerCase();
      return c.value.some((v) => (c.op === 'is' ? email === v : email.endsWith(v)));
    }
    case 'tags': {
      const hit = c.value.some((t) => f.tags.includes(t));
      return c.op === 'include_any' ? hit : !hit;
    }
    case 'subject':
    case 'body':
    case 'text': {
      const haystack = c.field === 'text' ? `${f.subject}\n${f.body}` : f[c.field];
      if (typeof c.value === 'string') return c.op === 'matches' && patternMatches(c.value, haystack);
      const lower = haystack.toLowerCase();
      const hit = c.value.some((k) => lower.includes(k.toLowerCase()));
      return c.op === 'contains_any' ? hit : !hit;
    }
    case 'local_time': {
      const local = DateTime.fromJSDate(now, { zone: c.value.time_zone });
      const minutes = local.hour * 60 + local.minute;
      const [from, to] = [toMinutes(c.value.from), toMinutes(c.value.to)];
      // A window may cross midnight (22:00–06:00).
      const inHours = from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
      const inside = c.value.days.includes(local.weekday) && inHours;
      return c.op === 'within' ? inside : !inside;
    }
  }
}

function toMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function changesOf(a: TriggerActions, f: TicketFacts): FieldChanges {
  const out: FieldChanges = {};
  if (a.type !== undefined && a.type !== f.type) out.type = a.type;
  if (a.priority !== undefined && a.priority !== f.priority) out.priority = a.priority;
  if (a.group_id !== undefined && a.group_id !== f.group_id) out.group_id = a.group_id;
  if (a.assignee_id !== undefined && a.assignee_id !== f.assignee_id) out.assignee_id = a.assignee_id;
  if (a.add_tags || a.remove_tags) {
    const remove = new Set(a.remove_tags ?? []);
    const tags = [...new Set([...f.tags.filter((t) => !remove.has(t)), ...(a.add_tags ?? [])])];
    if (tags.length !== f.tags.length || tags.some((t, i) => t !== f.tags[i])) out.tags = tags;
  }
  return out;
}
