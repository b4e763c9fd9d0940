import type { Principal } from '../../core/auth/principal.ts';
import { predict } from '../../core/triage/classifier.ts';
import { evaluateTriggers, type FieldChanges, type TicketFacts } from '../../core/triage/evaluate-triggers.ts';
import { findRepeat } from '../../core/triage/similarity.ts';
import { detectLanguage } from '../../core/triage/text.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvents, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { computeSlaFor, refreshTicketSla, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import type { PolicySubject } from '../../core/policies/policy-model.ts';
import { mayApplyAutomatically } from '../../core/promise/index.ts';
import { applyAutomaticChanges, firingItems, type Origin } from './apply-firings.ts';
import { liveModel } from './classifier-models.ts';
import { loadTriggers } from './load-triggers.ts';
import { TRIAGE_SETTINGS } from './triage-settings.ts';
import { cachedSettings } from '../settings/settings.ts';

/** `typeChosen`: the customer picked the request type themselves (the web form's select, an API field). */
export type IntakeFacts = { body: string; tier: string | null; supportAddress?: string | null; typeChosen?: boolean };
export type Suggestion = { label: string; confidence: number; model_id: string };

/**
 * The triage step of intake (one call from create-ticket.ts, inside its transaction): detect the
 * language, classify type and urgency, run the triggers, flag a repeat contact. The classifier only
 * applies to a customer's own request (staff who create a ticket chose its type and priority), and never
 * over a type the customer picked; below the confidence threshold, for staff tickets or a chosen type, its
 * suggestion is stored for the agent instead.
 */
export async function triageNewTicket(
  ctx: AppContext, tx: Queryable, actor: Principal | null, ticket: TicketRow, facts: IntakeFacts, sla: TicketSlaState | null,
): Promise<{ ticket: TicketRow; sla: TicketSlaState | null }> {
  const now = ctx.now();
  const language = detectLanguage(`${ticket.subject}\n${facts.body}`);
  let current: TicketRow = ticket;

  const text = `${ticket.subject}\n${facts.body}`;
  // Settings and live models come from this process's cache (dropped by NOTIFY when an admin changes them).
  const settings = await cachedSettings(ctx, tx, TRIAGE_SETTINGS);
  const threshold = settings.classifier_threshold;
  const customerRequest = actor === null || actor.kind === 'contact';
  const suggestions: Record<string, Suggestion> = {};
  const applied: { changes: FieldChanges; note: null; origin: Origin }[] = [];
  for (const target of ['type', 'priority'] as const) {
    const live = await liveModel(ctx, tx, target);
    const guess = live ? predict(live.model, text, settings.classifier_min_examples) : null;
    if (!live || !guess) continue;
    // A threshold of 1 means "only ever suggest" (calibrated confidences stay below 1).
    // A type the customer chose is theirs (it also picked the promise they were shown): the classifier's
    // different opinion becomes a suggestion for the agent instead of silently changing the commitment.
    // A label learnt from fewer examples than the minimum is never applied, however confident.
    const chosenByCustomer = target === 'type' && facts.typeChosen === true;
    // Three decimals, rounded down: a calibrated 0.9996 must not be stored (and shown) as a certain 1.
    const confidence = Math.floor(guess.confidence * 1000) / 1000;
    if (customerRequest && !chosenByCustomer && guess.applicable && threshold < 1 && guess.confidence >= threshold) {
      if (guess.label !== current[target]) applied.push({ changes: { [target]: guess.label }, note: null, origin: { classifier: { model_id: live.id, confidence } } });
    } else if (guess.label !== current[target]) {
      suggestions[target] = { label: guess.label, confidence, model_id: live.id };
    }
  }
  // Automatic triage may shorten a promise, never lengthen one without a person: a classifier change that
  // would select a later first response becomes a suggestion for the agent instead.
  const kept = await keepShortening(tx, current, applied, facts.tier, sla, now);
  for (const item of applied.filter((a) => !kept.includes(a))) {
    for (const [field, label] of Object.entries(item.changes)) {
      if ((field === 'type' || field === 'priority') && typeof label === 'string' && 'classifier' in item.origin) {
        suggestions[field] = { label, confidence: item.origin.classifier.confidence, model_id: item.origin.classifier.model_id };
      }
    }
  }
  if (kept.length) current = await applyAutomaticChanges(tx, current, kept, now);
  // The language and the classifier's suggestions in one write (intake updates this row several times already).
  await tx.query('UPDATE tickets SET language = $2, triage_suggestion = COALESCE($3::jsonb, triage_suggestion) WHERE id = $1',
    [ticket.id, language, Object.keys(suggestions).length ? JSON.stringify(suggestions) : null]);

  const rules = await loadTriggers(tx, true);
  if (rules.length) {
    const [requester] = await tx.query<{ email: string }>('SELECT email FROM contacts WHERE id = $1', [current.requester_id]);
    const ticketFacts: TicketFacts = {
      channel: current.channel, support_address: facts.supportAddress ?? null, requester_email: requester?.email ?? '', organization_id: current.organization_id,
      tier: facts.tier, type: current.type, priority: current.priority, language, tags: current.tags, subject: current.subject, body: facts.body,
      group_id: current.group_id, assignee_id: current.assignee_id,
    };
    const { firings } = evaluateTriggers(rules, ticketFacts, 'created', now);
    if (firings.length) current = await applyAutomaticChanges(tx, current, firingItems(firings), now);
  }

  await flagRepeat(tx, current, language, now, settings.repeat_window_days);
  // Type, priority, group and tags select the SLA policy (and its targets): the clocks follow when triage
  // changed one of them. An assignee, a note or a stage leaves them as intake computed them.
  const reselects = current.type !== ticket.type || current.priority !== ticket.priority || current.group_id !== ticket.group_id
    || current.tags.length !== ticket.tags.length || current.tags.some((tag, i) => tag !== ticket.tags[i]);
  if (!reselects) return { ticket: current, sla };
  return { ticket: current, sla: await refreshTicketSla(tx, ticket.id, now) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

type AppliedItem = { changes: FieldChanges; note: null; origin: Origin };

/** The classifier's changes that keep the first-response due where it was or make it earlier. */
async function keepShortening(tx: Queryable, ticket: TicketRow, items: AppliedItem[], tier: string | null, sla: TicketSlaState | null, now: Date): Promise<AppliedItem[]> {
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
    const after = dueOf(await computeSlaFor(tx, next, () => [{ kind: 'created', after: { status: 'new', ...next }, at: ticket.created_at }], now));
    if (!mayApplyAutomatically(before, after)) continue;
    kept.push(item);
    subject = next;
    before = after;
  }
  return kept;
}

/** A solved ticket of the same requester (or organization) within N days on a similar subject makes this one a repeat. */
async function flagRepeat(tx: Queryable, ticket: TicketRow, language: string, now: Date, days: number): Promise<void> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const candidates = await tx.query<{ id: string; number: number; subject: string }>(
    `SELECT id, number, subject FROM tickets
     WHERE id <> $1 AND solved_at IS NOT NULL AND solved_at >= $3 AND (requester_id = $2 OR ($4::uuid IS NOT NULL AND organization_id = $4))
     ORDER BY solved_at DESC LIMIT 50`,
    [ticket.id, ticket.requester_id, since, ticket.organization_id]);
  const repeat = findRepeat(language, ticket.subject, candidates);
  if (!repeat) return;
  await tx.query('UPDATE tickets SET repeat_of_id = $2 WHERE id = $1', [ticket.id, repeat.match.id]);
  await appendEvents(tx, [{
    ticketId: ticket.id, actor: { kind: 'system', id: null }, kind: 'repeat_contact',
    before: null, after: { repeat_of_id: repeat.match.id, repeat_of_number: repeat.match.number, similarity: round(repeat.similarity) }, at: now,
  }]);
}
