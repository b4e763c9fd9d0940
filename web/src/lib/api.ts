import type { TicketPromise } from '../features/promise/promise-api.ts';
// Typed client for the Replyby REST API v1 (docs/api.md).

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
};

export type TicketSla = {
  policy_id: string | null;
  policy_name: string | null;
  next_due_at: string | null;
  breached: boolean;
  /** Server extra: when the stored state was computed (lists show the state at the last change). */
  evaluated_at?: string | null;
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
  sla: TicketSla | null;
  urgency?: string;
  promise?: TicketPromise | null;
};

export type Author = { kind: 'user' | 'contact' | 'system'; id: string | null; name: string | null };

export type MessageKind = 'public' | 'internal' | 'automatic';

export type Message = {
  id: string;
  kind: MessageKind;
  author: Author;
  body_text: string;
  body_html: string | null;
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

export type Group = { id: string; name: string; description: string | null };

export type Organization = { id: string; name: string; tier: string; domains: string[] };

export type ListEntry = { key: string; label: string };

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
  urgency?: string;
};

export type PublicRequestResult = { number: number; display_number: string; follow_url: string; promise?: TicketPromise | null };

export type TicketPatch = {
  subject?: string;
  status?: string;
  priority?: string;
  type?: string;
  stage?: string;
  group_id?: string | null;
  assignee_id?: string | null;
  tags?: string[];
};

export type TicketQuery = {
  status?: string[];
  q?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The offending input field (dotted), when the server named one. */
  readonly path: string | undefined;

  constructor(status: number, code: string, message: string, path?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
  }

  /** The last segment of `path` — the form field name. */
  get field(): string | undefined {
    if (!this.path) return undefined;
    const parts = this.path.split(/[./[\]]/).filter((p) => p !== '' && p !== 'body' && !/^\d+$/.test(p));
    return parts[parts.length - 1];
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The message for a banner: names the field when the server's message does not ("E-mail: is required"). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const field = err.field;
    if (!field) return capitalize(err.message);
    const core = withoutPath(err);
    return /^[a-z]/.test(core) ? `${humanize(field)}: ${core}` : core;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

const BASE = '/api/v1';

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The message for a form field's error line, shown beside the field it names. */
export function fieldMessage(err: ApiError): string {
  const core = withoutPath(err);
  return core === 'is required' ? 'This field is required.' : capitalize(core);
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
    return new ApiError(status, code, message, normalizePath(e.path));
  }
  const fallback =
    status === 401 ? 'Please sign in.' : status >= 500 ? 'The server had a problem. Please try again.' : statusText;
  return new ApiError(status, `http_${status}`, fallback || `Request failed (${status})`);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie('rb_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) throw toApiError(res.status, parsed, res.statusText);
  return parsed as T;
}

function qs(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export function humanize(key: string): string {
  const s = key.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function normalizeList(raw: RawList): ListEntry[] {
  return (raw ?? []).map((e) => (typeof e === 'string' ? { key: e, label: humanize(e) } : e));
}

type RawLists = Partial<Record<keyof Lists, RawList>>;

const enc = encodeURIComponent;

/** The contract does not spell out the list shape for people/structure; accept `{data}` or a bare array. */
type ListResponse<T> = { data: T[] } | T[];

function rows<T>(res: ListResponse<T>): T[] {
  return Array.isArray(res) ? res : res.data;
}

export const api = {
  // auth
  signIn: (email: string, password: string) =>
    request<{ token: string; principal: Principal }>('POST', '/auth/sign-in', { email, password }),
  portalSignIn: (email: string, password: string) =>
    request<{ token: string; principal: Principal }>('POST', '/portal/sign-in', { email, password }),
  magicLink: (email: string, next?: string) => request<unknown>('POST', '/portal/magic-link', next ? { email, next } : { email }),
  signOut: () => request<unknown>('POST', '/auth/sign-out'),
  me: () => request<{ principal: Principal }>('GET', '/auth/me'),

  // public
  submitRequest: (input: PublicRequestInput) => request<PublicRequestResult>('POST', '/public/requests', input),

  // tickets
  queue: () => request<{ data: Ticket[] }>('GET', '/queue'),
  tickets: (q: TicketQuery = {}) =>
    request<{ data: Ticket[]; next_cursor: string | null }>(
      'GET',
      `/tickets${qs({ status: q.status?.join(','), q: q.q, sort: q.sort, limit: q.limit, cursor: q.cursor })}`,
    ),
  ticket: (ref: string | number) => request<Ticket>('GET', `/tickets/${enc(String(ref))}`),
  updateTicket: (ref: string | number, patch: TicketPatch) =>
    request<Ticket>('PATCH', `/tickets/${enc(String(ref))}`, patch),
  timeline: async (ref: string | number): Promise<{ data: TimelineEntry[] }> => {
    const res = await request<{ data: unknown[] }>('GET', `/tickets/${enc(String(ref))}/timeline`);
    return { data: res.data.map(flattenEntry).filter((e): e is TimelineEntry => e !== null) };
  },
  postMessage: (ref: string | number, body: string, kind?: 'public' | 'internal', status?: string) =>
    request<Message>('POST', `/tickets/${enc(String(ref))}/messages`, {
      body,
      ...(kind ? { kind } : {}),
      ...(status ? { status } : {}),
    }),

  // people and structure
  users: async () => rows(await request<ListResponse<User>>('GET', '/users')),
  createUser: (input: {
    email: string;
    name: string;
    role: StaffRole;
    password: string;
    group_ids: string[];
    language?: string;
    time_zone?: string;
  }) => request<User>('POST', '/users', input),
  updateUser: (id: string, patch: Partial<Omit<User, 'id'>>) => request<User>('PATCH', `/users/${enc(id)}`, patch),
  groups: async () => rows(await request<ListResponse<Group>>('GET', '/groups')),
  createGroup: (input: { name: string; description?: string }) => request<Group>('POST', '/groups', input),
  organizations: async () => rows(await request<ListResponse<Organization>>('GET', '/organizations')),
  createOrganization: (input: { name: string; tier: string; domains: string[] }) =>
    request<Organization>('POST', '/organizations', input),
  lists: async (): Promise<Lists> => {
    const raw = await request<RawLists>('GET', '/lists');
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

