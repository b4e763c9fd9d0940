import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/principal.ts';
import { features, predictFeatures } from '../../core/triage/classifier.ts';
import { evaluateTriggers, type FieldChanges, type TicketFacts } from '../../core/triage/evaluate-triggers.ts';
import { findRepeat } from '../../core/triage/similarity.ts';
import { detectLanguage } from '../../core/triage/text.ts';
import type { Queryable } from '../../store/db.ts';
import type { NewEvent, TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import type { IntakeConfig } from '../intake/intake-config.ts';
import { slaStateFor, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import type { PolicySubject } from '../../core/policies/policy-model.ts';
import { mayApplyAutomatically } from '../../core/promise/index.ts';
import { firingItems, planAutomaticChanges, type Origin, type PlannedAutomatic, type PlannedNote, type TargetCheck } from './apply-firings.ts';
import { liveModel } from './classifier-models.ts';
import { TRIAGE_SETTINGS } from './triage-settings.ts';
import { cachedSettings } from '../settings/settings.ts';

/** `typeChosen`: the customer picked the request type themselves (the web form's select, an API field). */
export type IntakeFacts = { body: string; tier: string | null; requesterEmail: string; supportAddress?: string | null; typeChosen?: boolean };
export type Suggestion = { label: string; confidence: number; model_id: string };

/** Triage's decisions for a new ticket, not yet written: intake writes them with the row (one INSERT, no UPDATEs). */
export type TriagePlan = {
  ticket: TicketRow;
  language: string;
  suggestions: Record<string, Suggestion> | null;
  events: NewEvent[];
  notes: PlannedNote[];
  sends: PlannedAutomatic<TicketRow>['sends'];
  /** Type, priority, group or tags changed: the SLA policy must be selected again. */
  reselects: boolean;
};

type AppliedItem = { changes: FieldChanges; note: null; origin: Origin };

/**
 * The triage step of intake (one call from create-ticket.ts, before the row is written): detect the
 * language, classify type and priority, run the triggers. The classifier only applies to a customer's own
 * request (staff who create a ticket chose its type and priority), and never over a type the customer
 * picked; below the confidence threshold, for staff tickets or a chosen type, its suggestion is stored for
 * the agent instead. The repeat-contact check reads the database and runs with intake's other reads
 * (`repeatEvent`). `ticket` is the new row as it will be inserted (its id already chosen); `exists` checks
 * a rule's target.
 */
export async function planTriage(
  ctx: AppContext, q: Queryable, actor: Principal | null, ticket: TicketRow, facts: IntakeFacts, sla: TicketSlaState | null,
  config: IntakeConfig, exists: TargetCheck,
): Promise<TriagePlan> {
  const now = ctx.now();
  const text = `${ticket.subject}\n${facts.body}`;
  const language = detectLanguage(text);
  // Settings and live models come from this process's cache (dropped by NOTIFY when an admin changes them).
  const settings = await cachedSettings(ctx, q, TRIAGE_SETTINGS);
  const threshold = settings.classifier_threshold;
  const customerRequest = actor === null || actor.kind === 'contact';
  const suggestions: Record<string, Suggestion> = {};
  const applied: AppliedItem[] = [];
  // The text's n-grams are computed once for both models (they are most of the classifier's cost).
  let textFeatures: ReadonlySet<string> | null = null;
  for (const target of ['type', 'priority'] as const) {
    const live = await liveModel(ctx, q, target);
    if (live) textFeatures ??= features(text);
    const guess = live && textFeatures ? predictFeatures(live.model, textFeatures, settings.classifier_min_examples) : null;
    if (!live || !guess) continue;
    // A threshold of 1 means "only ever suggest" (calibrated confidences stay below 1).
    // A type the customer chose is theirs (it also picked the promise they were shown): the classifier's
    // different opinion becomes a suggestion for the agent instead of silently changing the commitment.
    // A label learnt from fewer examples than the minimum is never applied, however confident.
    const chosenByCustomer = target === 'type' && facts.typeChosen === true;
    // Three decimals, rounded down: a calibrated 0.9996 must not be stored (and shown) as a certain 1.
    const confidence = Math.floor(guess.confidence * 1000) / 1000;
    if (customerRequest && !chosenByCustomer && guess.applicable && threshold < 1 && guess.confidence >= threshold) {
      if (guess.label !== ticket[target]) applied.push({ changes: { [target]: guess.label }, note: null, origin: { classifier: { model_id: live.id, confidence } } });
    } else if (guess.label !== ticket[target]) {
      suggestions[target] = { label: guess.label, confidence, model_id: live.id };
    }
  }
  // Automatic triage may shorten a promise, never lengthen one without a person: a classifier change that
  // would select a later first response becomes a suggestion for the agent instead.
  const kept = keepShortening(ticket, applied, facts.tier, sla, config, now);
  for (const item of applied.filter((a) => !kept.includes(a))) {
    for (const [field, label] of Object.entries(item.changes)) {
      if ((field === 'type' || field === 'priority') && typeof label === 'string' && 'classifier' in item.origin) {
        suggestions[field] = { label, confidence: item.origin.classifier.confidence, model_id: item.origin.classifier.model_id };
      }
    }
  }
  const classified = planAutomaticChanges(ticket, kept, exists, now, randomUUID);
  let current = classified.ticket;
  let fired: PlannedAutomatic<TicketRow> | null = null;
  if (config.triggers.length) {
    const ticketFacts: TicketFacts = {
      channel: current.channel, support_address: facts.supportAddress ?? null, requester_email: facts.requesterEmail, organization_id: current.organization_id,
      tier: facts.tier, type: current.type, priority: current.priority, language, tags: current.tags, subject: current.subject, body: facts.body,
      group_id: current.group_id, assignee_id: current.assignee_id,
    };
    const { firings } = evaluateTriggers(config.triggers, ticketFacts, 'created', now);
    if (firings.length) {
      fired = planAutomaticChanges(current, firingItems(firings), exists, now, randomUUID);
      current = fired.ticket;
    }
  }
  // Type, priority, group and tags select the SLA policy (and its targets). An assignee, a note or a stage
  // leaves the clocks as intake computed them.
  const reselects = current.type !== ticket.type || current.priority !== ticket.priority || current.group_id !== ticket.group_id
    || current.tags.length !== ticket.tags.length || current.tags.some((tag, i) => tag !== ticket.tags[i]);
  return {
    ticket: current, language, suggestions: Object.keys(suggestions).length ? suggestions : null,
    events: [...classified.events, ...(fired?.events ?? [])], notes: [...classified.notes, ...(fired?.notes ?? [])], sends: fired?.sends ?? [],
    reselects,
  };
}

/** The classifier's changes that keep the first-response due where it was or make it earlier. */
function keepShortening(ticket: TicketRow, items: AppliedItem[], tier: string | null, sla: TicketSlaState | null, config: IntakeConfig, now: Date): AppliedItem[] {
  if (items.length === 0) return items;
  const dueOf = (state: TicketSlaState | null) => {
    const due = state?.result.metrics.first_response?.due_at;
    return due ? Date.parse(due) : null;
  };
  let before = dueOf(sla);
  let subject: PolicySubject = {
    type: ticket.type, priority: ticket.priority, tier, organization_id: ticket.organization_id, channel: ticket.channel,
    group_id: ticket.group_id, tags: ticket.tags, urgency: ticket.urgency,
  };
  const kept: AppliedItem[] = [];
  for (const item of items) {
    const next: PolicySubject = { ...subject, ...item.changes };
    const after = dueOf(slaStateFor(config.sla, next, [{ kind: 'created', after: { status: 'new', ...next }, at: ticket.created_at }], now));
    if (!mayApplyAutomatically(before, after)) continue;
    kept.push(item);
    subject = next;
    before = after;
  }
  return kept;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A solved ticket of the same requester (or organization) within the repeat window on a similar subject
 * makes the new one a repeat (`candidates`: those tickets, newest solved first).
 */
export function repeatEvent(ticket: TicketRow, language: string, candidates: readonly { id: string; number: number; subject: string }[], now: Date): { repeatOfId: string; event: NewEvent } | null {
  const repeat = findRepeat(language, ticket.subject, candidates);
  if (!repeat) return null;
  return {
    repeatOfId: repeat.match.id,
    event: {
      ticketId: ticket.id, actor: { kind: 'system', id: null }, kind: 'repeat_contact',
      before: null, after: { repeat_of_id: repeat.match.id, repeat_of_number: repeat.match.number, similarity: round(repeat.similarity) }, at: now,
    },
  };
}
