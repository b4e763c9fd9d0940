import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, invalidInput } from '../../core/errors.ts';
import { CHANNELS, type Channel } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { insertIntake } from '../../store/repos/intake-repo.ts';
import type { ActorRef, NewEvent, TicketRow, TicketView } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { CONTACT_WITH_TIER, findOrCreateContact, type ContactWithTier } from '../people/find-or-create-contact.ts';
import { messageBody } from '../shared/message-body.ts';
import { parseInput } from '../shared/parse-input.ts';
import { slaColumns, slaStateFor, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { MONITOR_CHANNEL, MONITOR_MAX_SLEEP_MS, planClocks } from '../monitor/sync-sla-clocks.ts';
import { TICKET_CHANNEL } from '../shared/publish-ticket-change.ts';
import { contactLocale } from '../email/customer-locale.ts';
import { URGENCIES, detectUrgency, urgencyAtIntake, type QueueLoad, type Urgency } from '../../core/promise/index.ts';
import { activeSurge } from '../planning/surge-state.ts';
import { makePromise } from '../promise/make-promise.ts';
import type { PromiseView } from '../promise/promise-view.ts';
import { groupStats } from '../promise/queue-load.ts';
import { loadIntakeConfig, type IntakeConfig } from '../intake/intake-config.ts';
import { readForIntake } from '../intake/read-for-intake.ts';
import { planTriage, repeatEvent } from '../triage/triage-new-ticket.ts';
import type { TargetCheck } from '../triage/apply-firings.ts';
import { queueTriggerSends } from '../triage/queue-trigger-sends.ts';
import { TRIAGE_SETTINGS } from '../triage/triage-settings.ts';
import { cachedSettings } from '../settings/settings.ts';
import { routeTicket } from '../routing/assign.ts';

const listKey = z.string().trim().min(1).max(40);

export const createTicketInput = z.object({
  subject: z.string().trim().min(1, 'is required').max(250),
  message: z.string().trim().min(1, 'is required').max(100_000),
  message_html: z.string().max(500_000).optional(),
  type: listKey.default('technical_question'),
  priority: listKey.default('normal'),
  channel: z.enum(CHANNELS).optional(),
  requester: z.object({
    email: z.string().trim().email('must be an e-mail address').max(254), name: z.string().trim().max(200).optional(),
    /** For a new contact: the customer's language and zone (else detected; see app/email/customer-locale.ts). */
    language: z.string().trim().max(35).optional(), time_zone: z.string().trim().max(64).optional(),
  }).optional(),
  requester_id: z.string().uuid().optional(),
  group_id: z.string().uuid().nullable().optional(),
  assignee_id: z.string().uuid().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  /** API callers importing or mirroring tickets may suppress the acknowledgement mail. */
  acknowledge: z.boolean().optional(),
  // Optional (absent = normal) so callers building an input in code need not name it.
  urgency: z.enum(URGENCIES, { error: `must be one of ${URGENCIES.join(', ')}` }).optional(),
});
export type CreateTicketInput = z.infer<typeof createTicketInput>;

/** `sla` is the state computed in the creating transaction, so the caller need not compute it again. */
export type CreatedTicket = {
  /** The ticket as the API shows it (the row with its people's and group's names), as written. */
  ticket: TicketView; requesterId: string; sla: TicketSlaState | null; promise: PromiseView | null; /** The request's first message. */ messageId: string;
};

/** Creates a ticket with its first message and events in one transaction. */
export async function createTicket(ctx: AppContext, actor: Principal | null, raw: unknown, defaultChannel: Channel = 'api'): Promise<CreatedTicket> {
  const input = parseInput(createTicketInput, raw);
  return ctx.db.transaction((tx) => createTicketInTx(ctx, tx, actor, input, defaultChannel, { typeChosen: namesField(raw, 'type') }));
}

/** True when the caller's raw input names `key` (a choice), as opposed to a schema default filling it in. */
export function namesField(raw: unknown, key: string): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[key] !== undefined;
}

/**
 * Intake: everything about the new ticket is decided first — requester, urgency, triage (language,
 * classifier, triggers), the SLA clocks of the policy it ends with, the repeat link, the promise — and
 * then written ONCE (`insertIntake`: the row, its messages, events, clock schedule, outbox jobs and
 * NOTIFYs in one statement). Reads: the configuration's version (intake-config.ts), the requester, and one
 * query for the queue ahead and the repeat candidates. Only a group that assigns automatically routes
 * after the write (it locks an agent).
 *
 * `intake.supportAddress`: the address an e-mail was sent to, for the triggers' support_address condition;
 * `intake.typeChosen`: the requester picked the type (the classifier then only suggests).
 */
export async function createTicketInTx(ctx: AppContext, tx: Queryable, actor: Principal | null, raw: CreateTicketInput, defaultChannel: Channel, intake: { supportAddress?: string | null; typeChosen?: boolean } = {}): Promise<CreatedTicket> {
  // Routing, assignment, tags and priority are staff decisions (they also select the SLA policy): a customer's own request gets the defaults.
  const input: CreateTicketInput = actor?.kind === 'contact' ? { ...raw, priority: 'normal', group_id: undefined, assignee_id: undefined, tags: [] } : raw;
  const now = ctx.now();
  const config = await loadIntakeConfig(tx);
  assertListed(config, 'ticket_type', input.type, 'type');
  if ((actor === null || actor.kind === 'contact') && config.listEntries.get(`ticket_type:${input.type}`)?.customerSelectable === false) {
    throw invalidInput('type', `"${input.type}" cannot be chosen on a customer's request; say how urgent it is in "urgency" instead`);
  }
  assertListed(config, 'priority', input.priority, 'priority');
  if (input.group_id && !config.groups.has(input.group_id)) throw invalidInput('group_id', 'no such group');
  const requester = await resolveRequester(tx, actor, input, config, now);
  const groupId = input.group_id === undefined ? config.defaultGroupId : input.group_id;
  const channel = actor?.kind === 'contact' ? 'portal' : (input.channel ?? defaultChannel);
  const tags = [...new Set(input.tags)];
  const actorRef: ActorRef = actor ? { kind: actor.kind, id: actor.id } : { kind: 'contact', id: requester.id };
  const urgency = intakeUrgency(actor, input);
  const id = randomUUID();
  const messageId = randomUUID();
  const createdAfter = { status: 'new', type: input.type, priority: input.priority, urgency: urgency.urgency, channel, group_id: groupId, assignee_id: input.assignee_id ?? null, subject: input.subject };
  const created: NewEvent[] = [
    { ticketId: id, actor: actorRef, kind: 'created', before: null, after: createdAfter, at: now },
    { ticketId: id, actor: actorRef, kind: 'message_added', before: null, after: { message_id: messageId, kind: 'public', author_kind: 'contact', initial: true }, at: now },
    ...urgency.events.map((e) => ({ ticketId: id, actor: { kind: 'system' as const, id: null }, ...e, at: now })),
  ];
  const subjectOf = (t: { type: string; priority: string; group_id: string | null; tags: string[] }) => ({
    type: t.type, priority: t.priority, tier: requester.tier, organization_id: requester.organization_id, channel, group_id: t.group_id, tags: t.tags, urgency: urgency.urgency,
  });
  const draft: TicketRow = {
    id, number: 0, subject: input.subject, type: input.type, priority: input.priority, status: 'new', stage: input.assignee_id ? 'assigned' : 'received',
    channel, tags, requester_id: requester.id, organization_id: requester.organization_id, group_id: groupId, assignee_id: input.assignee_id ?? null,
    created_at: now, updated_at: now, first_responded_at: null, solved_at: null, closed_at: null,
    sla_policy_id: null, sla_next_due_at: null, sla_breached: false, sla_state: null, urgency: urgency.urgency, urgency_suggestion: urgency.suggestion,
    promised_reply_at: null, original_promised_reply_at: null, promise: null, snoozed_until: null, snooze_until_reply: false, merged_into_id: null, archived_at: null,
  };
  // The clocks of a new ticket depend only on its attributes and its events, so they are known before it is written.
  const initialSla = slaStateFor(config.sla, subjectOf(draft), created, now);
  const body = messageBody({ text: input.message, html: input.message_html });
  const { exists, userExists } = await targetCheck(tx, config, input.assignee_id ?? null);
  if (input.assignee_id && !userExists(input.assignee_id)) throw invalidInput('assignee_id', 'no such user');
  // Triage (language, classifier, triggers) may change type, priority and group; the clocks follow.
  const triaged = await planTriage(ctx, tx, actor, draft, { body: body.text, tier: requester.tier, requesterEmail: requester.email, supportAddress: intake.supportAddress ?? null, typeChosen: intake.typeChosen ?? false }, initialSla, config, exists);
  const history: NewEvent[] = [...created, ...triaged.events];
  const sla = triaged.reselects ? slaStateFor(config.sla, subjectOf(triaged.ticket), history, now) : initialSla;
  const due = sla?.result.next_due_at ?? null;
  const settings = await cachedSettings(ctx, tx, TRIAGE_SETTINGS);
  // The group's handling time is read at most once a minute; without one there is nothing to predict from.
  const stats = await groupStats(tx, triaged.ticket.group_id, now);
  // A surge (docs/surge.md: the team's, or this group's) is read through the configuration cache: no query per ticket.
  const surge = await activeSurge(ctx, tx, triaged.ticket.group_id);
  const reads = await readForIntake(tx, {
    groupId: triaged.ticket.group_id, due: due === null ? null : new Date(due), requesterId: requester.id, organizationId: requester.organization_id,
    repeatSince: new Date(now.getTime() - settings.repeat_window_days * 86_400_000), withQueue: stats.handle !== null, withBacklog: surge !== null,
  });
  const repeat = repeatEvent(triaged.ticket, triaged.language, reads.candidates, now);
  if (repeat) history.push(repeat.event);
  // The promise is made last, from the clocks of the policy intake settled on (and the queue ahead of it).
  const queue: QueueLoad = stats.handle === null
    ? { ahead: 0, recentHandleMinutes: null, agentsOnShift: stats.agents }
    : { ahead: reads.ahead, recentHandleMinutes: stats.handle, agentsOnShift: stats.agents };
  const promise = makePromise(config.sla, triaged.ticket, sla, queue, now, surge ? { backlog: reads.backlog } : null);
  // The monitor's schedule of this ticket's clocks (warnings, breach, escalations), written with the row.
  const clocks = planClocks([], sla, config.sla, null, now);
  const soonest = clocks.map((c) => (c.next_action_at ? Date.parse(c.next_action_at) : null))
    .filter((t): t is number => t !== null && t < now.getTime() + MONITOR_MAX_SLEEP_MS);
  const columns = slaColumns(sla);
  const t = triaged.ticket;
  let view = await insertIntake(tx, {
    ticket: {
      id, subject: t.subject, type: t.type, priority: t.priority, status: t.status, stage: t.stage, channel, tags: t.tags, requester_id: requester.id,
      organization_id: requester.organization_id, group_id: t.group_id, assignee_id: t.assignee_id, created_at: now,
      sla_policy_id: columns?.policy_id ?? null, sla_next_due_at: columns?.next_due_at ?? null, sla_breached: columns?.breached ?? false, sla_state: columns?.state ?? null,
      urgency: urgency.urgency, urgency_suggestion: urgency.suggestion, language: triaged.language, triage_suggestion: triaged.suggestions, repeat_of_id: repeat?.repeatOfId ?? null,
      promised_reply_at: promise.promisedAt, promise: promise.description,
    },
    messages: [
      // The request's description is the requester's own words, whoever typed it in.
      { id: messageId, kind: 'public', author_kind: 'contact', author_id: requester.id, body_text: body.text, body_html: body.html },
      ...triaged.notes.map((n) => ({ id: n.id, kind: 'internal' as const, author_kind: 'system' as const, author_id: null, body_text: n.text, body_html: n.html })),
    ],
    events: history,
    clocks: clocks.map((c) => ({ ...c, policy_id: sla?.policy_id ?? null })),
    // The acknowledgement carries the promise as made at intake, whatever happens before it is sent.
    jobs: input.acknowledge === false ? [] : [{ kind: 'mail.acknowledgement', payload: { ticket_id: id, first_response_due: promise.view?.promised_at ?? sla?.result.metrics.first_response?.due_at ?? null } }],
    ticketChannel: TICKET_CHANNEL, actorId: actor?.id ?? requester.id,
    monitor: soonest.length ? { channel: MONITOR_CHANNEL, at: new Date(Math.min(...soonest)).toISOString() } : null,
  });
  // A rule's mails and webhook calls name the ticket by its number, known now.
  for (const send of triaged.sends) await queueTriggerSends(tx, { ...send.ticket, number: view.number }, send.rule, send.sends, now);
  // Assignment follows triage (which may have chosen the group); it leaves the clocks as they are. Only a
  // group that assigns automatically needs it (the new ticket was announced once, above).
  const routing = t.group_id ? config.groups.get(t.group_id) : undefined;
  if (routing && routing.assignment_mode !== 'manual') {
    const agentId = await routeTicket(tx, view, now, { publish: false });
    if (agentId) view = { ...view, ...(await reloadAssigned(tx, id)) };
  }
  return { ticket: view, requesterId: requester.id, sla, promise: promise.view, messageId };
}

function assertListed(config: IntakeConfig, list: 'ticket_type' | 'priority', key: string, path: string): void {
  if (!config.listEntries.has(`${list}:${key}`)) throw invalidInput(path, `unknown ${list.replace('_', ' ')} "${key}"`);
}

/**
 * Whether an automatic change's target exists, from the cached configuration (groups, types, priorities);
 * users are read here, once, when a rule or the caller names one.
 */
async function targetCheck(tx: Queryable, config: IntakeConfig, assigneeId: string | null): Promise<{ exists: TargetCheck; userExists: (id: string) => boolean }> {
  const named = new Set<string>(config.triggers.flatMap((r) => (typeof r.actions.assignee_id === 'string' ? [r.actions.assignee_id] : [])));
  if (assigneeId) named.add(assigneeId);
  const users = named.size ? await tx.query<{ id: string; active: boolean }>('SELECT id, active FROM users WHERE id = ANY($1::uuid[])', [[...named]]) : [];
  const active = new Set(users.filter((u) => u.active).map((u) => u.id));
  const exists: TargetCheck = (key, value) => {
    if (key === 'group_id') return typeof value === 'string' && config.groups.has(value);
    if (key === 'assignee_id') return typeof value === 'string' && active.has(value);
    if (key === 'type') return config.listEntries.has(`ticket_type:${String(value)}`);
    if (key === 'priority') return config.listEntries.has(`priority:${String(value)}`);
    return true;
  };
  return { exists, userExists: (id) => users.some((u) => u.id === id) };
}

async function reloadAssigned(tx: Queryable, id: string): Promise<Pick<TicketView, 'assignee_id' | 'assignee_name' | 'stage' | 'updated_at'>> {
  const [row] = await tx.query<Pick<TicketView, 'assignee_id' | 'assignee_name' | 'stage' | 'updated_at'>>(
    'SELECT t.assignee_id, u.name AS assignee_name, t.stage, t.updated_at FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = $1', [id]);
  if (!row) throw new Error('the routed ticket vanished');
  return row;
}

/**
 * The urgency a new ticket starts with: what was stated, raised to critical when the request's words say
 * so confidently (the service is down, work is blocked, urgent — en/ru/zh/bg), since that can only shorten
 * the promise. Staff who stated an urgency explicitly decided it; their words are only suggested.
 */
function intakeUrgency(actor: Principal | null, input: CreateTicketInput): { urgency: Urgency; suggestion: Urgency | null; events: { kind: string; before: unknown; after: unknown }[] } {
  const stated: Urgency = input.urgency ?? 'normal';
  const detection = detectUrgency(`${input.subject}\n${input.message}`);
  const staffDecided = actor?.kind === 'user' && input.urgency !== undefined;
  const decided = urgencyAtIntake(stated, detection);
  const evidence = { confidence: detection.confidence, signals: detection.signals };
  if (decided.applied && !staffDecided) {
    return { urgency: decided.urgency, suggestion: null, events: [{ kind: 'urgency_changed', before: { urgency: stated }, after: { urgency: decided.urgency, detected: evidence } }] };
  }
  const suggestion = decided.applied ? decided.urgency : decided.suggestion;
  return { urgency: stated, suggestion, events: suggestion ? [{ kind: 'urgency_suggested', before: { urgency: stated }, after: { urgency_suggestion: suggestion, detected: evidence } }] : [] };
}

async function resolveRequester(tx: Queryable, actor: Principal | null, input: CreateTicketInput, config: IntakeConfig, now: Date): Promise<ContactWithTier> {
  const contactId = actor?.kind === 'contact' ? actor.id : input.requester_id;
  if (contactId) {
    const [row] = await tx.query<ContactWithTier>(`${CONTACT_WITH_TIER} WHERE c.id = $1`, [contactId]);
    if (!row) throw invalidInput('requester_id', 'no such contact');
    return row;
  }
  if (!input.requester) {
    if (actor === null) throw invalidInput('requester', 'is required');
    throw invalidInput('requester', 'requester or requester_id is required');
  }
  if (actor !== null && actor.kind !== 'user') throw forbidden();
  const locale = contactLocale(config.sla, { language: input.requester.language, timeZone: input.requester.time_zone, text: `${input.subject}\n${input.message}` });
  return findOrCreateContact(tx, { email: input.requester.email, name: input.requester.name, ...locale }, now);
}
