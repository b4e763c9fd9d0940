import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { forbidden, invalidInput } from '../../core/errors.ts';
import { CHANNELS, type Channel } from '../../core/tickets/ticket-model.ts';
import type { Queryable } from '../../store/db.ts';
import { appendEvents, insertMessage, insertTicket, type ActorRef, type TicketRow } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { CONTACT_WITH_TIER, findOrCreateContact, type ContactWithTier } from '../people/find-or-create-contact.ts';
import { assertListKey } from '../shared/lists.ts';
import { messageBody } from '../shared/message-body.ts';
import { parseInput } from '../shared/parse-input.ts';
import { computeSlaFor, slaColumns, type TicketSlaState } from '../sla/refresh-ticket-sla.ts';
import { syncSlaClocks } from '../monitor/sync-sla-clocks.ts';
import { publishTicketChange } from '../shared/publish-ticket-change.ts';
import { enqueue } from '../shared/outbox.ts';
import { newContactLocale } from '../email/customer-locale.ts';
import { URGENCIES, detectUrgency, urgencyAtIntake, type Urgency } from '../../core/promise/index.ts';
import { makePromise } from '../promise/make-promise.ts';
import { assertCustomerSelectableType } from '../promise/customer-types.ts';
import type { PromiseView } from '../promise/promise-view.ts';
import { triageNewTicket } from '../triage/triage-new-ticket.ts';
import { assignOnIntake } from '../routing/assign.ts';

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
export type CreatedTicket = { ticket: TicketRow; requesterId: string; sla: TicketSlaState | null; promise: PromiseView | null; /** The request's first message. */ messageId: string };

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
 * `intake.supportAddress`: the address an e-mail was sent to, for the triggers' support_address condition;
 * `intake.typeChosen`: the requester picked the type (the classifier then only suggests).
 */
export async function createTicketInTx(ctx: AppContext, tx: Queryable, actor: Principal | null, raw: CreateTicketInput, defaultChannel: Channel, intake: { supportAddress?: string | null; typeChosen?: boolean } = {}): Promise<CreatedTicket> {
  // Routing, assignment, tags and priority are staff decisions (they also select the SLA policy): a customer's own request gets the defaults.
  const input: CreateTicketInput = actor?.kind === 'contact' ? { ...raw, priority: 'normal', group_id: undefined, assignee_id: undefined, tags: [] } : raw;
  const now = ctx.now();
  await assertListKey(tx, 'ticket_type', input.type, 'type');
  if (actor === null || actor.kind === 'contact') await assertCustomerSelectableType(tx, input.type);
  await assertListKey(tx, 'priority', input.priority, 'priority');
  const requester = await resolveRequester(tx, actor, input, now);
  const groupId = input.group_id === undefined ? await defaultGroupId(tx) : input.group_id;
  if (input.group_id) await assertExists(tx, 'groups', input.group_id, 'group_id');
  if (input.assignee_id) await assertExists(tx, 'users', input.assignee_id, 'assignee_id');
  const channel = actor?.kind === 'contact' ? 'portal' : (input.channel ?? defaultChannel);
  const tags = [...new Set(input.tags)];
  const actorRef: ActorRef = actor ? { kind: actor.kind, id: actor.id } : { kind: 'contact', id: requester.id };
  const urgency = intakeUrgency(actor, input);
  const createdAfter = { status: 'new', type: input.type, priority: input.priority, urgency: urgency.urgency, channel, group_id: groupId, assignee_id: input.assignee_id ?? null, subject: input.subject };
  // The clocks of a new ticket depend only on its attributes and its creation, so they are
  // computed first and written with the row: no read-back and no second update.
  const sla = await computeSlaFor(tx, {
    type: input.type, priority: input.priority, tier: requester.tier, organization_id: requester.organization_id, channel, group_id: groupId, tags, urgency: urgency.urgency,
  }, () => [{ kind: 'created', after: createdAfter, at: now }], now);
  const ticket = await insertTicket(tx, {
    subject: input.subject, type: input.type, priority: input.priority, status: 'new', stage: input.assignee_id ? 'assigned' : 'received',
    channel, tags, requester_id: requester.id, organization_id: requester.organization_id,
    group_id: groupId, assignee_id: input.assignee_id ?? null, created_at: now, sla: slaColumns(sla),
    urgency: urgency.urgency, urgency_suggestion: urgency.suggestion,
  });
  // The request's description is the requester's own words, whoever typed it in.
  const body = messageBody({ text: input.message, html: input.message_html });
  const messageId = await insertMessage(tx, { ticketId: ticket.id, kind: 'public', authorKind: 'contact', authorId: requester.id, text: body.text, html: body.html, at: now });
  await appendEvents(tx, [
    { ticketId: ticket.id, actor: actorRef, kind: 'created', before: null, after: createdAfter, at: now },
    { ticketId: ticket.id, actor: actorRef, kind: 'message_added', before: null, after: { message_id: messageId, kind: 'public', author_kind: 'contact', initial: true }, at: now },
    ...urgency.events.map((e) => ({ ticketId: ticket.id, actor: { kind: 'system' as const, id: null }, ...e, at: now })),
  ]);
  // Triage (language, classifier, triggers, repeat contact) may change type, priority and group; the clocks follow.
  const triaged = await triageNewTicket(ctx, tx, actor, ticket, { body: body.text, tier: requester.tier, supportAddress: intake.supportAddress ?? null, typeChosen: intake.typeChosen ?? false }, sla);
  // Assignment follows triage (which may have chosen the group); it leaves the clocks as they are.
  const routed = await assignOnIntake(tx, triaged.ticket, now);
  // The promise is made last, from the clocks of the policy intake settled on (and the queue ahead of it).
  const promise = await makePromise(tx, routed, triaged.sla, now);
  // The monitor's schedule of this ticket's clocks (warnings, breach, escalations), in the same transaction.
  // (Written once: when triage re-selected the policy, its refresh already wrote the schedule.)
  if (triaged.sla === sla) await syncSlaClocks(tx, ticket.id, triaged.sla, now);
  await publishTicketChange(tx, { ticket_id: ticket.id, number: ticket.number, kind: 'created', actor_id: actor?.id ?? requester.id });
  // The acknowledgement carries the promise as made at intake, whatever happens before it is sent.
  if (input.acknowledge !== false) await enqueue(tx, 'mail.acknowledgement', { ticket_id: ticket.id, first_response_due: promise?.promised_at ?? triaged.sla?.result.metrics.first_response?.due_at ?? null }, now);
  return { ticket: routed, requesterId: requester.id, sla: triaged.sla, promise, messageId };
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

async function resolveRequester(tx: Queryable, actor: Principal | null, input: CreateTicketInput, now: Date): Promise<ContactWithTier> {
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
  const locale = await newContactLocale(tx, { language: input.requester.language, timeZone: input.requester.time_zone, text: `${input.subject}\n${input.message}` });
  return findOrCreateContact(tx, { email: input.requester.email, name: input.requester.name, ...locale }, now);
}

async function defaultGroupId(tx: Queryable): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>('SELECT id FROM groups WHERE is_default');
  return row?.id ?? null;
}

async function assertExists(tx: Queryable, table: 'groups' | 'users', id: string, path: string): Promise<void> {
  const rows = await tx.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  if (rows.length === 0) throw invalidInput(path, `no such ${table === 'groups' ? 'group' : 'user'}`);
}
