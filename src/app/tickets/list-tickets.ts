import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { ticketScopeSql } from '../../core/auth/ticket-access.ts';
import { invalidInput } from '../../core/errors.ts';
import { TICKET_STATUSES, UNSOLVED_STATUSES } from '../../core/tickets/ticket-model.ts';
import { BUILTIN_VIEWS, searchQuery, viewSql } from '../../core/tickets/views.ts';
import { TICKET_VIEW_SELECT, type TicketView } from '../../store/repos/tickets-repo.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../shared/parse-input.ts';

const splitCsv = (s: string) => s.split(',').map((v) => v.trim()).filter(Boolean);
const csvOf = <const V extends readonly [string, ...string[]]>(values: V) => z.string().transform(splitCsv).pipe(z.array(z.enum(values)));
const csvText = z.string().transform(splitCsv).pipe(z.array(z.string().max(40)));

export const SORTS = ['due', 'created_at', '-created_at', 'updated_at', '-updated_at', 'number', '-number'] as const;

export const listTicketsInput = z.object({
  status: csvOf(TICKET_STATUSES).optional(),
  priority: csvText.optional(),
  type: csvText.optional(),
  group_id: z.string().uuid().optional(),
  assignee_id: z.string().uuid().optional(),
  /** me: assigned to the caller; none: waiting unassigned (with group_id: that group's queue). */
  assignee: z.enum(['me', 'none']).optional(),
  /** true: only snoozed tickets; false: hide them. */
  snoozed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  requester_id: z.string().uuid().optional(),
  organization_id: z.string().uuid().optional(),
  q: z.string().trim().max(200).optional(),
  view: z.enum(BUILTIN_VIEWS).optional(),
  sort: z.enum(SORTS).default('due'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListTicketsInput = z.infer<typeof listTicketsInput>;

type SortSpec = { keys: { expr: string; cast: string; of: (t: TicketView) => string | number }[]; desc: boolean };

const INFINITY = 'infinity';
const SEARCH_WORK_MEM = '64MB';
const iso = (d: Date) => d.toISOString();
const SORT_SPECS: Record<(typeof SORTS)[number], SortSpec> = {
  // Next SLA due first (tickets without a clock after them), then oldest first: the agent's working order.
  due: {
    desc: false,
    keys: [
      { expr: `COALESCE(t.sla_next_due_at, '${INFINITY}'::timestamptz)`, cast: 'timestamptz', of: (t) => (t.sla_next_due_at ? iso(t.sla_next_due_at) : INFINITY) },
      { expr: 't.created_at', cast: 'timestamptz', of: (t) => iso(t.created_at) },
      { expr: 't.id', cast: 'uuid', of: (t) => t.id },
    ],
  },
  created_at: { desc: false, keys: [{ expr: 't.created_at', cast: 'timestamptz', of: (t) => iso(t.created_at) }, { expr: 't.id', cast: 'uuid', of: (t) => t.id }] },
  '-created_at': { desc: true, keys: [{ expr: 't.created_at', cast: 'timestamptz', of: (t) => iso(t.created_at) }, { expr: 't.id', cast: 'uuid', of: (t) => t.id }] },
  updated_at: { desc: false, keys: [{ expr: 't.updated_at', cast: 'timestamptz', of: (t) => iso(t.updated_at) }, { expr: 't.id', cast: 'uuid', of: (t) => t.id }] },
  '-updated_at': { desc: true, keys: [{ expr: 't.updated_at', cast: 'timestamptz', of: (t) => iso(t.updated_at) }, { expr: 't.id', cast: 'uuid', of: (t) => t.id }] },
  number: { desc: false, keys: [{ expr: 't.number', cast: 'int', of: (t) => t.number }] },
  '-number': { desc: true, keys: [{ expr: 't.number', cast: 'int', of: (t) => t.number }] },
};

const encodeCursor = (values: (string | number)[]): string => Buffer.from(JSON.stringify(values)).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** Each cursor value must fit its key's SQL cast, or a forged cursor would reach the database as a cast error (500). */
const FITS: Record<string, (v: unknown) => boolean> = {
  // Year 0000 parses in JavaScript but is out of PostgreSQL's range.
  timestamptz: (v) => v === INFINITY || (typeof v === 'string' && ISO_INSTANT.test(v) && !v.startsWith('0000') && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().slice(0, 19) === v.slice(0, 19)),
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647,
};
function decodeCursor(cursor: string, keys: SortSpec['keys']): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === keys.length && keys.every((k, i) => FITS[k.cast]?.(values[i]) === true)) return values;
  } catch {
    // fall through to the error below
  }
  throw invalidInput('cursor', 'is not a cursor returned by this endpoint with this sort');
}

/** Tickets the principal may see, filtered, sorted and paginated by keyset cursor. */
export async function listTickets(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: TicketView[]; next_cursor: string | null }> {
  const input = parseInput(listTicketsInput, raw);
  return queryTickets(ctx, actor, input, input.view ? (_next, params) => viewSql(input.view ?? 'all', actor, ctx.now(), (v) => {
    params.push(v);
    return `$${params.length}`;
  }) : undefined);
}

export async function queryTickets(ctx: AppContext, actor: Principal, input: ListTicketsInput, extraWhere?: (param: () => number, params: unknown[]) => string): Promise<{ data: TicketView[]; next_cursor: string | null }> {
  const spec = SORT_SPECS[input.sort];
  const statement = (search?: (params: unknown[]) => string, walk?: (params: unknown[]) => string) => {
    const params: unknown[] = [];
    const next = () => params.length + 1;
    const where: string[] = [];
    const scope = ticketScopeSql(actor, next());
    params.push(...scope.params);
    where.push(scope.sql);
    const eq = (col: string, v: unknown) => {
      params.push(v);
      where.push(`${col} = $${params.length}`);
    };
    const anyOf = (col: string, v: string[]) => {
      params.push(v);
      where.push(`${col} = ANY($${params.length}::text[])`);
    };
    if (input.status?.length) anyOf('t.status', input.status);
    if (input.priority?.length) anyOf('t.priority', input.priority);
    if (input.type?.length) anyOf('t.type', input.type);
    if (input.group_id) eq('t.group_id', input.group_id);
    if (input.assignee_id) eq('t.assignee_id', input.assignee_id);
    if (input.assignee === 'me') eq('t.assignee_id', actor.id);
    if (input.assignee === 'none') where.push('t.assignee_id IS NULL');
    if (input.snoozed !== undefined) {
      params.push(ctx.now());
      where.push(`${input.snoozed ? '' : 'NOT '}COALESCE(t.snoozed_until > $${params.length}, false)`);
    }
    if (input.requester_id) eq('t.requester_id', input.requester_id);
    if (input.organization_id) eq('t.organization_id', input.organization_id);
    if (search) where.push(search(params));
    if (extraWhere) where.push(extraWhere(next, params));
    if (input.cursor) {
      const values = decodeCursor(input.cursor, spec.keys);
      const placeholders = spec.keys.map((k, i) => {
        params.push(values[i]);
        return `$${params.length}::${k.cast}`;
      });
      where.push(`(${spec.keys.map((k) => k.expr).join(', ')}) ${spec.desc ? '<' : '>'} (${placeholders.join(', ')})`);
    }
    const order = spec.keys.map((k) => `${k.expr} ${spec.desc ? 'DESC' : 'ASC'}`).join(', ');
    if (walk) {
      // The first WALK_BUDGET tickets in the sort's order (all the filters, the caller's scope among them), then
      // the condition on each of them only.
      params.push(WALK_BUDGET);
      const walked = `t.id IN (SELECT t.id FROM tickets t WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length})`;
      const condition = walk(params);
      params.push(input.limit + 1);
      return { sql: `${TICKET_VIEW_SELECT} WHERE ${walked} AND ${condition} ORDER BY ${order} LIMIT $${params.length}`, params };
    }
    params.push(input.limit + 1);
    return { sql: `${TICKET_VIEW_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`, params };
  };
  let rows: TicketView[];
  if (input.q) {
    const ways = searchWays(input.q, actor);
    // A word prefix common in the messages ('reset':*) gives GIN a bitmap of 200,000 rows at 1 M tickets; within the
    // default 4 MB of work_mem it turns lossy and every row on those pages is checked again (60 s under load in
    // bench:scale). Enough memory keeps it exact, for these statements only.
    rows = await ctx.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '${SEARCH_WORK_MEM}'`);
      const found: TicketView[] = [];
      for (const way of ways) {
        if (way.walk) {
          // A page found within the walk is the page: every later ticket comes after the walked ones.
          const walked = statement(undefined, way.walk);
          const firstMatches = await tx.query<TicketView>(walked.sql, walked.params);
          if (firstMatches.length > input.limit) {
            found.push(...firstMatches);
            continue;
          }
        }
        const { sql, params } = statement(way.where);
        found.push(...await tx.query<TicketView>(sql, params));
      }
      return ways.length > 1 ? mergeSorted(found, spec) : found;
    });
  } else {
    const { sql, params } = statement();
    rows = await ctx.db.query<TicketView>(sql, params);
  }
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return { data: page, next_cursor: rows.length > input.limit && last ? encodeCursor(spec.keys.map((k) => k.of(last))) : null };
}

/** The sorted pages of several search ways as one: each ticket once, in the sort's order (keys compare as they do in SQL). */
function mergeSorted(rows: TicketView[], spec: SortSpec): TicketView[] {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
  const compare = (a: TicketView, b: TicketView) => {
    for (const k of spec.keys) {
      const x = k.of(a);
      const y = k.of(b);
      if (x !== y) return (x < y ? -1 : 1) * (spec.desc ? -1 : 1);
    }
    return 0;
  };
  return unique.sort(compare);
}

/** The agent's one queue: unsolved tickets of their groups (managers: all), next due first, then oldest. */
export async function getQueue(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ data: TicketView[]; next_cursor: string | null }> {
  if (actor.kind !== 'user') throw invalidInput('queue', 'is for staff');
  const input = parseInput(listTicketsInput.pick({ limit: true, cursor: true }), raw);
  // Snoozed tickets stay out of the working queue until they wake.
  return queryTickets(ctx, actor, { ...input, sort: 'due', status: [...UNSOLVED_STATUSES], snoozed: false });
}

/**
 * One way a ticket can match a search: a condition over the `tickets` alias `t` (adding its bind parameters), and
 * optionally a cheaper one per ticket to try first on the first WALK_BUDGET tickets in the sort's order.
 */
type SearchWay = { where: (params: unknown[]) => string; walk?: (params: unknown[]) => string };

/**
 * How many tickets, in the sort's order, a search checks one by one before it asks the GIN index instead. Words
 * in 2.5 % or more of the caller's tickets fill a page of 50 within it (at 1 M tickets: 25–75 ms); rarer ones
 * have few enough postings to read them all.
 */
const WALK_BUDGET = 2000;

/**
 * Server-side search: the ticket number, or every word as a prefix in the ticket's subject and messages
 * (customers: public messages only) or the requester's name or e-mail.
 *
 * Staff search one document per ticket (`ticket_search_docs`, migration 0145: the words of the subject and every
 * message, kept by triggers), so a match is a ticket, never each of its messages visited in the 3.5 GB `messages`
 * heap (3.1 s p95 at 1 M tickets before, bench:scale); the words may come from different messages of the ticket.
 * Common words match most tickets, rare ones few, and the planner's estimate for several words is their
 * frequencies multiplied — wrong by 25× for words of one language (they come together): so the search first
 * checks the first WALK_BUDGET tickets in the sort's order one by one (the document by primary key) and stops at
 * the page's last match; only when they hold less than a page does it read the words' GIN postings and sort
 * those tickets. The number and the requester are a second statement; the pages are merged (queryTickets).
 *
 * Customers see only their own (or their organisation's) tickets, few enough to check one by one, and only
 * public messages, each on the ticket it was written on (a merge moves messages, so a merged-in message of
 * another customer never makes their own ticket match): the document, which holds internal notes, is not theirs.
 */
function searchWays(q: string, actor: Principal): SearchWay[] {
  const number = /^#?(\d{1,9})$/.exec(q)?.[1];
  const ts = searchQuery(q);
  const tsParam = (params: unknown[]) => {
    params.push(ts);
    return `to_tsquery('simple', $${params.length})`;
  };
  const others = (params: unknown[], own: string[] = []) => {
    const arms: string[] = [];
    if (number) arms.push(`SELECT n.id FROM tickets n WHERE n.number = ${Number(number)}`);
    if (ts) arms.push(`SELECT r.id FROM tickets r WHERE r.requester_id IN (SELECT c.id FROM contacts c WHERE to_tsvector('simple', coalesce(c.name, '') || ' ' || c.email) @@ ${tsParam(params)})`);
    const conditions = arms.length ? [`t.id IN (${arms.join(' UNION ALL ')})`, ...own] : own;
    return conditions.length ? `(${conditions.join(' OR ')})` : 'FALSE';
  };
  if (actor.kind === 'contact') {
    return [{ where: (params) => {
      if (!ts) return others(params);
      const p = tsParam(params);
      const said = (m: string) => `${m}.kind = 'public' AND to_tsvector('simple', ${m}.body_text) @@ ${p}`;
      return others(params, [
        `to_tsvector('simple', t.subject) @@ ${p}`,
        `EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.origin_ticket_id IS NULL AND ${said('m')})`,
        `EXISTS (SELECT 1 FROM messages o WHERE o.origin_ticket_id = t.id AND ${said('o')})`,
      ]);
    } }];
  }
  if (!ts) return [{ where: (params) => others(params) }];
  return [
    {
      // A scalar subquery, not EXISTS: a semi-join the planner may turn into a hash of every posting (4.3 s for three
      // words in 100,000 documents) instead of 2,000 lookups by primary key (≈40 ms).
      walk: (params) => `(SELECT d.doc @@ ${tsParam(params)} FROM ticket_search_docs d WHERE d.ticket_id = t.id)`,
      where: (params) => `t.id IN (SELECT d.ticket_id FROM ticket_search_docs d WHERE d.doc @@ ${tsParam(params)})`,
    },
    { where: (params) => others(params) },
  ];
}
