// An in-memory stand-in for the REST API v1 contract (docs/api.md), for UI development and for
// checking the browser journey without the real server: `E2E_SERVER=mock npm run test:e2e`, or
// `PORT=3000 node --import tsx e2e/mock-api.ts` next to `vite --config web/vite.config.ts`.
// It is not the product: no persistence, no real SLA maths, no rate limits.

import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
type Obj = { [k: string]: Json | undefined };

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const PORT = Number(process.env.PORT ?? 3000);

type User = { id: string; email: string; name: string; role: string; language: string; time_zone: string; group_ids: string[]; active: boolean; password: string };
type Contact = { id: string; email: string; name: string; password: string | null };
type Principal = { kind: 'user' | 'contact'; id: string; email: string; name: string; role: string; language: string; time_zone: string };
type Msg = { id: string; kind: string; author: { kind: string; id: string | null; name: string | null }; body_text: string; body_html: string | null; created_at: string };
type Ev = { id: string; kind: string; actor: { kind: string; id: string | null; name: string | null }; before: Json; after: Json; created_at: string };
type T = {
  id: string; number: number; subject: string; type: string; priority: string; status: string; stage: string; channel: string;
  requester_id: string; group_id: string | null; assignee_id: string | null; created_at: string; updated_at: string;
  first_responded_at: string | null; due: string; messages: Msg[]; events: Ev[];
};

const groups = [
  { id: randomUUID(), name: 'Support', description: 'Web form and e-mail' },
  { id: randomUUID(), name: 'Billing', description: null },
];
const supportId = groups[0]?.id ?? '';
const users: User[] = [
  { id: randomUUID(), email: 'alex@demo.replyby.dev', name: 'Alex Agent', role: 'agent', language: 'en', time_zone: 'UTC', group_ids: [supportId], active: true, password: 'demo1234' },
  { id: randomUUID(), email: 'sam@demo.replyby.dev', name: 'Sam Supervisor', role: 'supervisor', language: 'en', time_zone: 'UTC', group_ids: [supportId], active: true, password: 'demo1234' },
];
const orgs: { id: string; name: string; tier: string; domains: string[] }[] = [];
const contacts: Contact[] = [];
const tickets: T[] = [];
const sessions = new Map<string, { principal: Principal; csrf: string }>();
const magic = new Map<string, { contactId: string; next: string }>();
let nextNumber = 1042;

const now = () => new Date().toISOString();
const pub = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, language: u.language, time_zone: u.time_zone, group_ids: u.group_ids, active: u.active });
const userPrincipal = (u: User): Principal => ({ kind: 'user', id: u.id, email: u.email, name: u.name, role: u.role, language: u.language, time_zone: u.time_zone });
const contactPrincipal = (c: Contact): Principal => ({ kind: 'contact', id: c.id, email: c.email, name: c.name, role: 'customer', language: 'en', time_zone: 'UTC' });

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly path?: string) {
    super(message);
  }
}

function present(t: T) {
  const c = contacts.find((x) => x.id === t.requester_id);
  const g = groups.find((x) => x.id === t.group_id);
  const a = users.find((x) => x.id === t.assignee_id);
  const created = Date.parse(t.created_at);
  const due = Date.parse(t.due);
  const paused = t.status === 'pending';
  const done = t.status === 'solved' || t.status === 'closed';
  const breached = !done && !paused && due < Date.now();
  const target = Math.round((due - created) / 60000);
  const elapsed = Math.min(target, Math.round((Date.now() - created) / 60000));
  return {
    id: t.id, number: t.number, display_number: `#${t.number}`, subject: t.subject, type: t.type, priority: t.priority,
    status: t.status, stage: t.stage, channel: t.channel, tags: [],
    requester: { id: c?.id ?? '', name: c?.name ?? null, email: c?.email ?? '' }, organization: null,
    group: g ? { id: g.id, name: g.name } : null, assignee: a ? { id: a.id, name: a.name } : null,
    created_at: t.created_at, updated_at: t.updated_at, first_responded_at: t.first_responded_at, solved_at: null, closed_at: null,
    sla: {
      policy_id: 'p1', policy_name: 'Standard', next_due_at: done || paused || t.first_responded_at ? null : t.due, breached,
      metrics: {
        first_response: {
          status: t.first_responded_at ? 'completed' : paused ? 'paused' : 'active', due_at: t.due, breached, breached_at: breached ? t.due : null,
          elapsed_business_minutes: elapsed, remaining_business_minutes: Math.max(0, target - elapsed), started_at: t.created_at,
          completed_at: t.first_responded_at,
        },
      },
    },
  };
}

function str(body: Obj, key: string, required = true, max = 10_000): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new HttpError(400, 'invalid_input', `${key} is required`, key);
    return undefined;
  }
  if (typeof v !== 'string') throw new HttpError(400, 'invalid_input', `${key} must be a string`, key);
  if (v.length > max) throw new HttpError(400, 'invalid_input', `${key} is too long`, key);
  return v;
}

function email(body: Obj): string {
  const e = str(body, 'email') ?? '';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) throw new HttpError(400, 'invalid_input', 'Enter a valid e-mail address', 'email');
  return e.toLowerCase();
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function startSession(res: ServerResponse, principal: Principal): string {
  const token = randomBytes(16).toString('hex');
  const csrf = randomBytes(12).toString('hex');
  sessions.set(token, { principal, csrf });
  res.setHeader('Set-Cookie', [
    `rb_session=${token}; Path=/; HttpOnly; SameSite=Lax`,
    `rb_csrf=${csrf}; Path=/; SameSite=Lax`,
  ]);
  return token;
}

function auth(req: IncomingMessage, method: string): Principal {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? cookies(req).rb_session;
  const s = token ? sessions.get(token) : undefined;
  if (!s) throw new HttpError(401, 'unauthenticated', 'Please sign in.');
  if (!bearer && method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf)
    throw new HttpError(403, 'forbidden', 'Missing or wrong CSRF token.');
  return s.principal;
}

function staff(p: Principal, manage = false): void {
  if (p.kind !== 'user') throw new HttpError(403, 'forbidden', 'Staff only.');
  if (manage && p.role === 'agent') throw new HttpError(403, 'forbidden', 'Supervisors and admins only.');
}

function visible(p: Principal, t: T): boolean {
  if (p.kind === 'contact') return t.requester_id === p.id;
  if (p.role !== 'agent') return true;
  const u = users.find((x) => x.id === p.id);
  return !!t.group_id && !!u?.group_ids.includes(t.group_id);
}

function findTicket(p: Principal, ref: string): T {
  const t = tickets.find((x) => String(x.number) === ref || x.id === ref);
  if (!t || !visible(p, t)) throw new HttpError(404, 'not_found', 'Ticket not found.');
  return t;
}

function actor(p: Principal) {
  return { kind: p.kind, id: p.id, name: p.name };
}

function addEvent(t: T, p: Principal | null, kind: string, before: Json, after: Json) {
  t.events.push({ id: randomUUID(), kind, actor: p ? actor(p) : { kind: 'system', id: null, name: 'Replyby' }, before, after, created_at: now() });
  t.updated_at = now();
}

async function readBody(req: IncomingMessage): Promise<Obj> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (!chunks.length) return {};
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  } catch {
    // fallthrough
  }
  throw new HttpError(400, 'invalid_input', 'Body must be a JSON object.');
}

async function api(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<[number, unknown]> {
  const method = req.method ?? 'GET';
  const body = method === 'GET' ? {} : await readBody(req);
  let m: RegExpExecArray | null;

  if (method === 'POST' && path === '/public/requests') {
    const name = str(body, 'name', true, 200) ?? '';
    const mail = email(body);
    const subject = str(body, 'subject', true, 250) ?? '';
    const message = str(body, 'message') ?? '';
    const type = str(body, 'type', false) ?? 'technical_question';
    let c = contacts.find((x) => x.email === mail);
    if (!c) contacts.push((c = { id: randomUUID(), email: mail, name, password: null }));
    const hours = type === 'urgent' ? 1 : 24;
    const t: T = {
      id: randomUUID(), number: nextNumber++, subject, type, priority: type === 'urgent' ? 'urgent' : 'normal', status: 'new',
      stage: 'received', channel: 'web_form', requester_id: c.id, group_id: supportId, assignee_id: null, created_at: now(),
      updated_at: now(), first_responded_at: null, due: new Date(Date.now() + hours * 3600_000).toISOString(), messages: [], events: [],
    };
    t.messages.push({ id: randomUUID(), kind: 'public', author: { kind: 'contact', id: c.id, name: c.name }, body_text: message, body_html: null, created_at: now() });
    addEvent(t, contactPrincipal(c), 'ticket.created', null, { status: 'new' });
    tickets.push(t);
    const token = randomBytes(16).toString('hex');
    magic.set(token, { contactId: c.id, next: `/portal/tickets/${t.number}` });
    return [201, { number: t.number, display_number: `#${t.number}`, follow_url: `/api/v1/portal/magic/${token}` }];
  }
  if (method === 'POST' && path === '/auth/sign-in') {
    const mail = email(body);
    const u = users.find((x) => x.email === mail && x.active && x.password === body.password);
    if (!u) throw new HttpError(401, 'unauthenticated', 'Wrong e-mail or password.');
    return [200, { token: startSession(res, userPrincipal(u)), principal: userPrincipal(u) }];
  }
  if (method === 'POST' && path === '/portal/sign-in') {
    const mail = email(body);
    const c = contacts.find((x) => x.email === mail && x.password !== null && x.password === body.password);
    if (!c) throw new HttpError(401, 'unauthenticated', 'Wrong e-mail or password.');
    return [200, { token: startSession(res, contactPrincipal(c)), principal: contactPrincipal(c) }];
  }
  if (method === 'POST' && path === '/portal/magic-link') {
    email(body);
    return [202, { ok: true }];
  }
  if (method === 'GET' && (m = /^\/portal\/magic\/([^/]+)$/.exec(path))) {
    const link = magic.get(m[1] ?? '');
    const c = link && contacts.find((x) => x.id === link.contactId);
    if (!link || !c) throw new HttpError(404, 'not_found', 'This sign-in link has expired.');
    startSession(res, contactPrincipal(c));
    const next = url.searchParams.get('next') ?? link.next;
    res.setHeader('Location', next.startsWith('/') ? next : '/portal');
    return [302, null];
  }

  const p = auth(req, method);
  if (method === 'POST' && path === '/auth/sign-out') {
    sessions.delete(cookies(req).rb_session ?? '');
    res.setHeader('Set-Cookie', ['rb_session=; Path=/; Max-Age=0', 'rb_csrf=; Path=/; Max-Age=0']);
    return [200, { ok: true }];
  }
  if (method === 'GET' && path === '/auth/me') return [200, { principal: p }];
  if (method === 'GET' && path === '/queue') {
    staff(p);
    const open = tickets.filter((t) => visible(p, t) && ['new', 'open', 'pending', 'on_hold'].includes(t.status));
    open.sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
    return [200, { data: open.map(present) }];
  }
  if (method === 'GET' && path === '/tickets') {
    const list = tickets.filter((t) => visible(p, t)).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    return [200, { data: list.map(present), next_cursor: null }];
  }
  if ((m = /^\/tickets\/([^/]+)(\/[a-z]+)?$/.exec(path))) {
    const t = findTicket(p, decodeURIComponent(m[1] ?? ''));
    const sub = m[2] ?? '';
    if (method === 'GET' && sub === '') return [200, present(t)];
    if (method === 'PATCH' && sub === '') {
      staff(p);
      for (const key of ['status', 'priority', 'type', 'stage', 'subject', 'group_id', 'assignee_id'] as const) {
        if (!(key in body)) continue;
        const v = body[key];
        if (v !== null && typeof v !== 'string') throw new HttpError(400, 'invalid_input', `${key} must be a string`, key);
        const before = t[key];
        if (before === v) continue;
        if (key === 'status' || key === 'priority' || key === 'type' || key === 'stage' || key === 'subject') {
          if (typeof v !== 'string') throw new HttpError(400, 'invalid_input', `${key} is required`, key);
          t[key] = v;
        } else t[key] = v;
        addEvent(t, p, `${key.replace(/_id$/, '')}_changed`, { [key]: before }, { [key]: v });
      }
      return [200, present(t)];
    }
    if (method === 'GET' && sub === '/messages') return [200, { data: t.messages.filter((x) => p.kind === 'user' || x.kind !== 'internal') }];
    if (method === 'GET' && sub === '/events') {
      staff(p);
      return [200, { data: t.events }];
    }
    if (method === 'GET' && sub === '/timeline') {
      const msgs = t.messages.filter((x) => p.kind === 'user' || x.kind !== 'internal').map((x) => ({ ...x, entry: 'message' }));
      const evs = p.kind === 'user' ? t.events.map((x) => ({ ...x, entry: 'event' })) : [];
      return [200, { data: [...msgs, ...evs].sort((a, b) => a.created_at.localeCompare(b.created_at)) }];
    }
    if (method === 'POST' && sub === '/messages') {
      const text = str(body, 'body') ?? '';
      const kind = p.kind === 'contact' ? 'public' : (str(body, 'kind', false) ?? 'public');
      if (kind !== 'public' && kind !== 'internal') throw new HttpError(400, 'invalid_input', 'kind must be public or internal', 'kind');
      const msg: Msg = { id: randomUUID(), kind, author: actor(p), body_text: text, body_html: null, created_at: now() };
      t.messages.push(msg);
      if (p.kind === 'user' && kind === 'public') {
        t.first_responded_at ??= now();
        if (t.status === 'new') {
          addEvent(t, p, 'status_changed', { status: t.status }, { status: 'open' });
          t.status = 'open';
        }
      }
      const status = str(body, 'status', false);
      if (status && p.kind === 'user') {
        addEvent(t, p, 'status_changed', { status: t.status }, { status });
        t.status = status;
      }
      t.updated_at = now();
      return [201, msg];
    }
  }
  if (path === '/users' && method === 'GET') {
    staff(p);
    return [200, { data: users.map(pub) }];
  }
  if (path === '/users' && method === 'POST') {
    staff(p, true);
    const u: User = {
      id: randomUUID(), email: email(body), name: str(body, 'name') ?? '', role: str(body, 'role') ?? 'agent', language: 'en', time_zone: 'UTC',
      group_ids: Array.isArray(body.group_ids) ? body.group_ids.filter((x): x is string => typeof x === 'string') : [], active: true,
      password: str(body, 'password') ?? '',
    };
    if (u.password.length < 8) throw new HttpError(400, 'invalid_input', 'Password must have at least 8 characters', 'password');
    if (users.some((x) => x.email === u.email)) throw new HttpError(409, 'conflict', 'A user with this e-mail exists', 'email');
    users.push(u);
    return [201, pub(u)];
  }
  if ((m = /^\/users\/([^/]+)$/.exec(path)) && method === 'PATCH') {
    staff(p, true);
    const u = users.find((x) => x.id === m?.[1]);
    if (!u) throw new HttpError(404, 'not_found', 'User not found.');
    if (typeof body.active === 'boolean') u.active = body.active;
    return [200, pub(u)];
  }
  if (path === '/groups' && method === 'GET') return [200, { data: groups }];
  if (path === '/groups' && method === 'POST') {
    staff(p, true);
    const g = { id: randomUUID(), name: str(body, 'name') ?? '', description: str(body, 'description', false) ?? null };
    groups.push(g);
    return [201, g];
  }
  if (path === '/organizations' && method === 'GET') return [200, { data: orgs }];
  if (path === '/organizations' && method === 'POST') {
    staff(p, true);
    const o = {
      id: randomUUID(), name: str(body, 'name') ?? '', tier: str(body, 'tier') ?? 'standard',
      domains: Array.isArray(body.domains) ? body.domains.filter((x): x is string => typeof x === 'string') : [],
    };
    orgs.push(o);
    return [201, o];
  }
  if (path === '/lists' && method === 'GET') {
    const kv = (keys: string[]) => keys.map((k) => ({ key: k, label: k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ') }));
    return [200, {
      types: kv(['technical_question', 'information_request', 'complaint', 'suggestion', 'quote', 'custom_work', 'urgent']),
      priorities: kv(['low', 'normal', 'high', 'urgent']), tiers: kv(['standard', 'priority', 'enterprise', 'vip']),
      statuses: kv(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']),
      stages: kv(['received', 'triaged', 'assigned', 'diagnosis', 'resolution', 'quality_check', 'archived']),
      channels: kv(['email', 'web_form', 'widget', 'api', 'portal', 'phone']),
    }];
  }
  throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  for (const file of [join(DIST, rel), join(DIST, 'index.html')]) {
    if (!file.startsWith(DIST) || file.endsWith('/')) continue;
    try {
      const buf = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(buf);
      return;
    } catch {
      // try next
    }
  }
  res.writeHead(404).end('web/dist missing: run npm run build:web');
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  void (async () => {
    if (url.pathname === '/ready' || url.pathname === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (!url.pathname.startsWith('/api/v1/')) return serveStatic(res, url.pathname);
    try {
      const [status, payload] = await api(req, res, url.pathname.slice('/api/v1'.length), url);
      if (status === 302) res.writeHead(302).end();
      else res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, 'internal', 'Internal error');
      if (!(e instanceof HttpError)) console.error(e);
      res.writeHead(err.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { code: err.code, message: err.message, ...(err.path ? { path: err.path } : {}) } }));
    }
  })();
});

server.listen(PORT, () => console.log(`mock API on http://localhost:${PORT}`));
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => server.close(() => process.exit(0)));
