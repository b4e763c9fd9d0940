import i18next from 'i18next';
import type { UrgencyKey } from '../features/promise/commitments-panel.tsx';
import type { TicketPromise } from '../features/promise/promise-api.ts';
// Client for the Replyby REST API v1 (docs/api.md). Requests go through openapi-fetch typed by
// api-schema.d.ts (generated from the server's /api/openapi.json by `npm run api:types`), so a path, query or
// body the server does not accept fails the typecheck.

import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-schema.d.ts';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const REQUEST_TYPES = [
  'technical_question',
  'information_request',
  'complaint',
  'suggestion',
  'quote',
  'custom_work',
  'urgent',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof ROLES)[number];
export type Role = StaffRole | 'customer';

export const TIERS = ['standard', 'priority', 'enterprise', 'vip'] as const;

export type Principal = {
  kind: 'user' | 'contact';
  id: string;
  email: string;
  name: string;
  role: Role;
  language: string;
  time_zone: string;
};

export type Ref = { id: string; name: string };

export type SlaMetric = {
  status: string;
  due_at: string | null;
  breached: boolean;
  breached_at: string | null;
  elapsed_business_minutes: number | null;
  remaining_business_minutes: number | null;
  started_at: string | null;
  completed_at: string | null;
  /** Server extra (not in docs/api.md): elapsed + remaining. */
  target_minutes?: number | null;
  /** Present ("calendar") when the clock counts wall-clock time; absent: the policy's business hours. */
  clock?: 'business' | 'calendar';
  /** Past the policy's warning threshold when evaluated; `next_warning_at` is when it will be. */
  warning?: boolean;
  next_warning_at?: string | null;
};

export type TicketSla = {
  policy_id: string | null;
  policy_name: string | null;
  next_due_at: string | null;
  breached: boolean;
  /** Server extra: when the stored state was computed (lists show the state at the last change). */
  evaluated_at?: string | null;
  next_warning_at?: string | null;
  warning?: boolean;
  metrics: Record<string, SlaMetric>;
};

export type Ticket = {
  id: string;
  number: number;
  display_number: string;
  subject: string;
  // Priority/type lists are editable, so these are plain strings.
  type: string | null;
  priority: string;
  status: string;
  stage: string | null;
  channel: string;
  tags: string[];
  requester: { id: string; name: string | null; email: string };
  organization: { id: string; name: string; tier: string } | null;
  group: Ref | null;
  assignee: Ref | null;
  created_at: string;
  updated_at: string;
  first_responded_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  /** Closed tickets are archived after a period: still listed, read-only. */
  archived_at?: string | null;
  sla: TicketSla | null;
  /** The reply promised to the customer (null when no policy applies). */
  promise?: TicketPromise | null;
  /** Merged into another request; its customer may still reply (the reply reaches the survivor). */
  merged?: boolean;
  /** Staff only: opened by mail whose From address SPF/DKIM/DMARC did not vouch for. */
  sender_unverified?: boolean;
};

export type Author = { kind: 'user' | 'contact' | 'system'; id: string | null; name: string | null };

export type MessageKind = 'public' | 'internal' | 'automatic';

export type Message = {
  id: string;
  kind: MessageKind;
  author: Author;
  body_text: string;
  body_html: string | null;
  /** The quoted history folded off an e-mail (the earlier thread), null when there was none. */
  body_quoted?: string | null;
  created_at: string;
};

export type TicketEvent = {
  id: string | number;
  kind: string;
  actor: Author | null;
  before: unknown;
  after: unknown;
  created_at: string;
};

export type TimelineEntry = (Message & { entry: 'message' }) | (TicketEvent & { entry: 'event' });

export type User = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  language: string;
  time_zone: string;
  group_ids: string[];
  active: boolean;
};

export type Group = { id: string; name: string; description: string | null; member_ids?: string[] };

export type Contact = { id: string; email: string; name: string; language: string; time_zone: string; organization_id: string | null; is_org_manager: boolean };

export type Organization = { id: string; name: string; tier: string; domains: string[] };

export type ListEntry = { key: string; label: string };

export type SlaPolicyMetric = {
  name: string;
  target_minutes?: number;
  targets_by_priority?: Record<string, number>;
  pause_statuses?: string[];
  start_on?: string[];
  stop_on?: string[];
  repeat?: boolean;
};
export type SlaPolicy = { id: string; name: string; position: number; active: boolean; calendar_id: string | null; pause_statuses: string[]; metrics: SlaPolicyMetric[] };
export type SlaCalendar = { id: string; name: string; spec: Record<string, unknown> };
export type SimulationEvent = { at: string; type: string; status?: string };
export type SimulationInput = {
  calendar: Record<string, unknown> | null;
  metrics: Omit<SlaPolicyMetric, 'targets_by_priority'>[];
  pause_statuses: string[];
  events: SimulationEvent[];
  at?: string;
};
export type SimulationCycle = { started_at: string; completed_at: string | null; elapsed_business_minutes: number; breached: boolean };
export type SimulationMetric = SlaMetric & { cycles: SimulationCycle[] };
export type SimulationResult = { at: string; next_due_at: string | null; metrics: Record<string, SimulationMetric> };

/** The server may send list entries as `{key,label}` or as bare keys; both are accepted. */
type RawList = (ListEntry | string)[] | undefined;

export type Lists = {
  types: ListEntry[];
  priorities: ListEntry[];
  tiers: ListEntry[];
  statuses: ListEntry[];
  stages: ListEntry[];
  channels: ListEntry[];
};

export type PublicRequestInput = {
  name: string;
  email: string;
  subject: string;
  message: string;
  type?: string;
  /** The browser's language and zone: the acknowledgement is written in them. */
  language?: string;
  time_zone?: string;
  urgency?: UrgencyKey;
  /** Files in base64; the server refuses programs and files over the limits, naming `attachments[i]`. */
  attachments?: { filename: string; content_type?: string; content_base64: string }[];
};

export type PublicRequestResult = { number: number; display_number: string; follow_url: string; promise?: TicketPromise | null };

type JsonQuery<R> = R extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type JsonBody<R> = R extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** Exactly what PATCH /tickets/{ref} accepts, from the server's document. */
export type TicketPatch = JsonBody<paths['/api/v1/tickets/{ref}']['patch']>;

export function isTicketStatus(s: string): s is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(s);
}

export const BUILTIN_VIEWS = ['mine', 'my_groups', 'unassigned', 'due_soon', 'pending', 'on_hold', 'all_open', 'solved', 'all', 'snoozed'] as const;
export type BuiltinView = (typeof BUILTIN_VIEWS)[number];
export const QUEUE_COLUMNS = ['number', 'subject', 'requester', 'priority', 'status', 'group', 'assignee', 'sla', 'updated', 'tags'] as const;
export type QueueColumn = (typeof QUEUE_COLUMNS)[number];
export type TicketSort = NonNullable<JsonQuery<paths['/api/v1/tickets']['get']>['sort']>;
export type SavedView = {
  id: string;
  name: string;
  definition: { base: BuiltinView; q?: string; sort: TicketSort; columns: QueueColumn[] };
};
export type PresencePerson = { user_id: string; name: string; state: 'viewing' | 'typing' };
export type BulkChange = JsonBody<paths['/api/v1/tickets/bulk']['post']>;
export type Board = {
  generated_at: string;
  by_group: { group_id: string | null; group_name: string | null; status: string; count: number }[];
  due_next_hour: { id: string; number: number; subject: string; due_at: string; group_name: string | null; assignee_name: string | null }[];
  breached_now: { id: string; number: number; subject: string; due_at: string | null; group_name: string | null; assignee_name: string | null }[];
  agents: {
    id: string; name: string; role: string; online: boolean; open_assigned: number; due_next_hour: number;
    breached_now?: number; capacity?: number | null; load_percent?: number | null;
  }[];
};

export type TicketQuery = {
  view?: BuiltinView;
  requester_id?: string;
  status?: string[];
  q?: string;
  sort?: TicketSort;
  limit?: number;
  cursor?: string;
};

export type FieldProblem = { path: string; message: string };

/**
 * The last named segment of an error path: `metrics[0].target_minutes` → `target_minutes`. A leading
 * `body.` (a request-body prefix) is dropped, but a field that is itself called `body` (a macro's or a
 * message's text) keeps its name.
 */
export function lastSegment(path: string): string | undefined {
  const parts = path.split(/[./[\]]/).filter((p) => p !== '' && !/^\d+$/.test(p));
  if (parts.length > 1 && parts[0] === 'body') parts.shift();
  return parts[parts.length - 1];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The offending input field (dotted), when the server named one. */
  readonly path: string | undefined;
  /** Every field the server found wrong, in form order (the first is `path`). */
  readonly errors: readonly FieldProblem[];

  constructor(status: number, code: string, message: string, path?: string, errors?: readonly FieldProblem[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
    this.errors = errors ?? (path ? [{ path, message: message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message }] : []);
  }

  /** Field name (last path segment) → message, for every field the server named. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const field = lastSegment(e.path);
      if (field && out[field] === undefined) out[field] = localizedProblem(e.message);
    }
    return out;
  }

  /** The last segment of `path` — the form field name. */
  get field(): string | undefined {
    if (!this.path) return undefined;
    return lastSegment(this.path);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The message for a banner: names the field when the server's message does not ("E-mail: is required"). */
/** Paths that name the address, not something the person typed: never shown as a "Field:" prefix. */
const NOT_A_FIELD = new Set(['ref', 'id', 'number']);

/** The message for a banner: names the field when the server's message does not ("E-mail: is required"). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const field = err.field;
    const core = withoutPath(err);
    if (!field || NOT_A_FIELD.has(field)) return capitalize(core);
    return /^[a-z]/.test(core) ? `${humanize(field)}: ${core}` : core;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The message for a form field's error line, shown beside the field it names. */
export function fieldMessage(err: ApiError): string {
  return localizedProblem(withoutPath(err));
}

// The server's validation words (English, from the zod schemas) that a form shows most, in the reader's language
// (common:errors.*); anything else is shown as the server wrote it. English text stands in where i18next is not
// running (unit checks in node).
const SERVER_PROBLEMS: readonly [RegExp, string, string][] = [
  [/^is required$/, 'required', 'This field is required.'],
  [/^must be an e-mail address$/, 'email', 'Must be an e-mail address'],
  [/^Too big: expected string to have <=(\d+) characters$/, 'tooLong', 'At most {{max}} characters'],
];

function localizedProblem(message: string): string {
  for (const [pattern, key, english] of SERVER_PROBLEMS) {
    const m = pattern.exec(message);
    if (!m) continue;
    const max = m[1] ?? '';
    return i18next.isInitialized ? i18next.t(`common:errors.${key}`, { max }) : english.replace('{{max}}', max);
  }
  return capitalize(message);
}

/** The server may lead its message with the path ("email: must be an e-mail address"). */
function withoutPath(err: ApiError): string {
  const p = err.path;
  return p && err.message.startsWith(`${p}: `) ? err.message.slice(p.length + 2) : err.message;
}

/** Timeline entries per the contract are flat (`{entry, ...message}`); also accept `{entry, message|event}`. */
function flattenEntry(raw: unknown): TimelineEntry | null {
  if (!isRecord(raw)) return null;
  if (raw.entry === 'message' && isRecord(raw.message)) return { ...(raw.message as Message), entry: 'message' };
  if (raw.entry === 'event' && isRecord(raw.event)) return { ...(raw.event as TicketEvent), entry: 'event' };
  if (raw.entry === 'message' || raw.entry === 'event') return raw as TimelineEntry;
  return null;
}

function normalizePath(p: unknown): string | undefined {
  if (typeof p === 'string' && p !== '') return p;
  if (Array.isArray(p) && p.length > 0) return p.map(String).join('.');
  return undefined;
}

function toApiError(status: number, body: unknown, statusText: string): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    const code = typeof e.code === 'string' ? e.code : `http_${status}`;
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : statusText;
    const errors = Array.isArray(e.errors)
      ? e.errors.filter(isRecord).map((x) => ({ path: String(x.path ?? ''), message: String(x.message ?? '') }))
      : undefined;
    return new ApiError(status, code, message, normalizePath(e.path), errors);
  }
  const fallback =
    status === 401 ? 'Please sign in.' : status >= 500 ? 'The server had a problem. Please try again.' : statusText;
  return new ApiError(status, `http_${status}`, fallback || `Request failed (${status})`);
}

type Fetched = { data?: unknown; error?: unknown; response: Response };

/** Awaits an openapi-fetch call: its JSON on success, an ApiError (naming the field when the server did) otherwise. */
export async function call<T>(p: Promise<Fetched>): Promise<T> {
  let res: Fetched;
  try {
    res = await p;
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.response.ok) throw toApiError(res.response.status, res.error, res.response.statusText);
  // The server documents request shapes only; response shapes are the types in this file.
  return res.data as T;
}

export function humanize(key: string): string {
  const s = key.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function normalizeList(raw: RawList): ListEntry[] {
  return (raw ?? []).map((e) => (typeof e === 'string' ? { key: e, label: humanize(e) } : e));
}

type RawLists = Partial<Record<keyof Lists, RawList>>;

function readCookieSafe(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The web UI authenticates by session cookie; every unsafe request echoes the CSRF cookie in a header. */
const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = readCookieSafe('rb_csrf');
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    request.headers.set('Accept', 'application/json');
    return request;
  },
};

export const client = createClient<paths>({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin, credentials: 'same-origin' });
client.use(csrf);

/** The contract does not spell out the list shape for people/structure; accept `{data}` or a bare array. */
type ListResponse<T> = { data: T[] } | T[];

function rows<T>(res: ListResponse<T>): T[] {
  return Array.isArray(res) ? res : res.data;
}

const ref = (r: string | number) => ({ params: { path: { ref: String(r) } } });

/** A file received with an e-mail (`stored` false: over the size limit, only its name was kept). */
/** The server's limits on uploaded files (REPLYBY_MAIL_ATTACHMENT_MAX_BYTES, …_TOTAL_MAX_BYTES, REPLYBY_ATTACHMENTS_MAX_COUNT). */
export type AttachmentLimits = { max_file_bytes: number; max_total_bytes: number; max_count: number };
export type AttachmentMeta = { id: string; message_id: string | null; filename: string; content_type: string; size_bytes: number; stored: boolean };

export const api = {
  // auth
  signIn: (email: string, password: string) =>
    call<{ token: string; principal: Principal }>(client.POST('/api/v1/auth/sign-in', { body: { email, password } })),
  portalSignIn: (email: string, password: string) =>
    call<{ token: string; principal: Principal }>(client.POST('/api/v1/portal/sign-in', { body: { email, password } })),
  magicLink: (email: string, next?: string) =>
    call<unknown>(client.POST('/api/v1/portal/magic-link', { body: next ? { email, next } : { email } })),
  signOut: () => call<unknown>(client.POST('/api/v1/auth/sign-out')),
  me: () => call<{ principal: Principal }>(client.GET('/api/v1/auth/me')),

  // public
  submitRequest: (input: PublicRequestInput) =>
    call<PublicRequestResult>(client.POST('/api/v1/public/requests', { body: input })),

  // tickets
  queue: () => call<{ data: Ticket[] }>(client.GET('/api/v1/queue')),
  tickets: (q: TicketQuery = {}) =>
    call<{ data: Ticket[]; next_cursor: string | null }>(
      client.GET('/api/v1/tickets', {
        params: {
          query: {
            ...(q.view ? { view: q.view } : {}),
            ...(q.requester_id ? { requester_id: q.requester_id } : {}),
            ...(q.status?.length ? { status: q.status.join(',') } : {}),
            ...(q.q ? { q: q.q } : {}),
            ...(q.sort ? { sort: q.sort } : {}),
            ...(q.limit ? { limit: q.limit } : {}),
            ...(q.cursor ? { cursor: q.cursor } : {}),
          },
        },
      }),
    ),
  ticket: (r: string | number) => call<Ticket>(client.GET('/api/v1/tickets/{ref}', ref(r))),
  updateTicket: (r: string | number, patch: TicketPatch) =>
    call<Ticket>(client.PATCH('/api/v1/tickets/{ref}', { ...ref(r), body: patch })),
  timeline: async (r: string | number): Promise<{ data: TimelineEntry[] }> => {
    const res = await call<{ data: unknown[] }>(client.GET('/api/v1/tickets/{ref}/timeline', ref(r)));
    return { data: res.data.map(flattenEntry).filter((e): e is TimelineEntry => e !== null) };
  },
  attachments: (r: string | number) => call<{ data: AttachmentMeta[] }>(client.GET('/api/v1/tickets/{ref}/attachments', ref(r))),
  attachmentLimits: () => call<AttachmentLimits>(client.GET('/api/v1/public/attachment-limits')),
  /** `macroId`: a staged macro whose field changes apply with this message (review 2026-12-07, item 14). */
  postMessage: (r: string | number, body: string, kind?: 'public' | 'internal', status?: TicketStatus, attachments?: PublicRequestInput['attachments'], macroId?: string) =>
    call<Message>(
      client.POST('/api/v1/tickets/{ref}/messages', {
        ...ref(r),
        body: { body, ...(kind ? { kind } : {}), ...(status ? { status } : {}), ...(attachments?.length ? { attachments } : {}), ...(macroId ? { macro_id: macroId } : {}) },
      }),
    ),

  viewCounts: () => call<Record<BuiltinView, number>>(client.GET('/api/v1/views/counts')),
  savedViews: () => call<{ data: SavedView[] }>(client.GET('/api/v1/views/saved')),
  createSavedView: (name: string, definition: SavedView['definition']) =>
    call<SavedView>(client.POST('/api/v1/views/saved', { body: { name, ...definition } })),
  deleteSavedView: (id: string) => call<unknown>(client.DELETE('/api/v1/views/saved/{id}', { params: { path: { id } } })),
  bulkUpdate: (change: BulkChange) => call<{ updated: number[] }>(client.POST('/api/v1/tickets/bulk', { body: change })),
  bulkMerge: (body: { numbers: number[]; into: number; confirm_different_requesters?: boolean }) => call<{ survivor: number; merged: number[] }>(client.POST('/api/v1/tickets/bulk-merge', { body })),
  followUp: (r: string | number, message: string, subject?: string) =>
    call<Ticket>(client.POST('/api/v1/tickets/{ref}/follow-up', { ...ref(r), body: { message, ...(subject ? { subject } : {}) } })),
  presence: (r: string | number, state: 'viewing' | 'typing' | 'left') =>
    call<{ others: PresencePerson[] }>(client.POST('/api/v1/tickets/{ref}/presence', { ...ref(r), body: { state } })),
  board: () => call<Board>(client.GET('/api/v1/board')),
  updateProfile: (patch: { name?: string; language?: string; time_zone?: string }) =>
    call<{ principal: Principal }>(client.PATCH('/api/v1/auth/me', { body: patch })),

  // people and structure
  users: async () => rows(await call<ListResponse<User>>(client.GET('/api/v1/users'))),
  createUser: (input: {
    email: string;
    name: string;
    role: StaffRole;
    password: string;
    group_ids: string[];
    language?: string;
    time_zone?: string;
  }) => call<User>(client.POST('/api/v1/users', { body: input })),
  updateUser: (id: string, patch: Partial<Omit<User, 'id'>>) =>
    call<User>(client.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: patch })),
  groups: async () => rows(await call<ListResponse<Group>>(client.GET('/api/v1/groups'))),
  createGroup: (input: { name: string; description?: string }) =>
    call<Group>(client.POST('/api/v1/groups', { body: input })),
  organizations: async () => rows(await call<ListResponse<Organization>>(client.GET('/api/v1/organizations'))),
  createOrganization: (input: { name: string; tier: string; domains: string[] }) =>
    call<Organization>(client.POST('/api/v1/organizations', { body: input })),
  sendPasswordReset: (id: string) => call<unknown>(client.POST('/api/v1/users/{id}/password-reset', { params: { path: { id } } })),
  forgotPassword: (email: string) => call<unknown>(client.POST('/api/v1/auth/password-reset', { body: { email } })),
  resetPassword: (token: string, password: string) => call<unknown>(client.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } })),
  updateGroup: (id: string, patch: { name?: string; description?: string }) =>
    call<Group>(client.PATCH('/api/v1/groups/{id}', { params: { path: { id } }, body: patch })),
  setGroupMembers: (id: string, userIds: string[]) =>
    call<Group>(client.PUT('/api/v1/groups/{id}/members', { params: { path: { id } }, body: { user_ids: userIds } })),
  updateOrganization: (id: string, patch: { name?: string; tier?: string; domains?: string[] }) =>
    call<Organization>(client.PATCH('/api/v1/organizations/{id}', { params: { path: { id } }, body: patch })),
  contacts: async (q: string) =>
    rows(await call<ListResponse<Contact>>(client.GET('/api/v1/contacts', { params: { query: { ...(q ? { q } : {}), limit: 100 } } }))),
  updateContact: (id: string, patch: { name?: string; language?: string; time_zone?: string; organization_id?: string | null }) =>
    call<Contact>(client.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: patch })),
  addListEntry: (list: 'types' | 'priorities' | 'tiers', key: string, labelText: string) =>
    call<ListEntry>(client.POST('/api/v1/lists/{list}', { params: { path: { list } }, body: { key, label: labelText } })),
  updateListEntry: (list: 'types' | 'priorities' | 'tiers', key: string, labelText: string) =>
    call<ListEntry>(client.PATCH('/api/v1/lists/{list}/{key}', { params: { path: { list, key } }, body: { label: labelText } })),
  slaPolicies: async () => rows(await call<ListResponse<SlaPolicy>>(client.GET('/api/v1/sla/policies'))),
  slaCalendars: async () => rows(await call<ListResponse<SlaCalendar>>(client.GET('/api/v1/sla/calendars'))),
  /** The simulator validates its own body (docs/sla-simulator.md), so the OpenAPI document has no schema for it. */
  simulate: async (input: SimulationInput): Promise<SimulationResult> => {
    let res: Response;
    try {
      res = await fetch('/api/v1/sla/simulate', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': readCookieSafe('rb_csrf') ?? '' },
        body: JSON.stringify(input),
      });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw toApiError(res.status, body, res.statusText);
    return body as SimulationResult;
  },
  lists: async (): Promise<Lists> => {
    const raw = await call<RawLists>(client.GET('/api/v1/lists'));
    return {
      types: normalizeList(raw.types),
      priorities: normalizeList(raw.priorities),
      tiers: normalizeList(raw.tiers),
      statuses: normalizeList(raw.statuses),
      stages: normalizeList(raw.stages),
      channels: normalizeList(raw.channels),
    };
  },
};
