import { WORDS, pickLang, type Words } from './words.ts';

// The Replyby chat widget: `<script src="https://help.example.com/widget.js" data-replyby-widget="<channel id>" async>`.
// A launcher and a chat panel in a shadow root (the page's styles cannot reach in, ours cannot leak out). Messages
// arrive over server-sent events with their sequence number as the event id, so a reconnect resumes after the last
// one seen (nothing lost, nothing twice); the visitor writes with POST, each message with a client id so a retry
// counts once. The signed visitor token is kept in localStorage: a reload continues the conversation.

type Status = { title: string; color: string; online: boolean; ahead: number; wait_seconds: number | null; first_response_seconds: number };
type Message = { seq: number; author: 'visitor' | 'agent' | 'system'; author_name: string | null; body: string; created_at: string };

const script = (document.currentScript ?? document.querySelector('script[data-replyby-widget]')) as HTMLScriptElement | null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 999px; padding: 12px 18px; font-size: 15px; color: #fff; background: var(--rb-color); cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.launcher:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
.panel { position: fixed; right: 20px; bottom: 76px; z-index: 2147483000; width: min(360px, calc(100vw - 40px)); max-height: min(560px, calc(100vh - 100px)); display: flex; flex-direction: column; background: #fff; color: #111; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 14px; }
.panel[hidden] { display: none; }
header { background: var(--rb-color); color: #fff; padding: 12px 14px; display: flex; justify-content: space-between; align-items: center; }
header h2 { margin: 0; font-size: 16px; }
header button { background: transparent; color: #fff; border: 0; font-size: 20px; cursor: pointer; line-height: 1; padding: 4px 8px; }
.status { margin: 0; padding: 8px 14px; background: #f3f4f6; color: #1f2937; }
form { display: flex; flex-direction: column; gap: 8px; padding: 12px 14px; }
label { font-weight: 600; color: #1f2937; }
input, textarea { width: 100%; border: 1px solid #6b7280; border-radius: 6px; padding: 8px; font-size: 14px; color: #111; background: #fff; }
textarea { resize: vertical; min-height: 60px; }
.primary { border: 0; border-radius: 6px; padding: 9px 12px; background: var(--rb-color); color: #fff; font-size: 14px; cursor: pointer; }
.link { border: 0; background: transparent; color: #1e3a8a; text-decoration: underline; cursor: pointer; padding: 4px 14px 10px; text-align: left; font-size: 13px; }

.log { margin: 0; padding: 10px 14px; overflow-y: auto; flex: 1; display: flex; flex-direction: column; gap: 8px; min-height: 120px; }
.msg { max-width: 85%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; word-wrap: break-word; }
.msg.visitor { align-self: flex-end; background: var(--rb-color); color: #fff; }
.msg.agent, .msg.system { align-self: flex-start; background: #e5e7eb; color: #111; }
.msg .who { display: block; font-size: 12px; font-weight: 600; margin-bottom: 2px; }
.typing, .note { margin: 0; padding: 0 14px; min-height: 18px; color: #374151; font-size: 13px; }
.error { color: #991b1b; }
.row { display: flex; gap: 8px; align-items: flex-end; }
.row textarea { flex: 1; min-height: 40px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

function duration(w: Words, seconds: number): string {
  return seconds < 90 ? w.seconds(Math.max(5, Math.round(seconds / 5) * 5)) : w.minutes(Math.ceil(seconds / 60));
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function boot(): Promise<void> {
  if (!script) return;
  const channel = script.dataset.replybyWidget ?? '';
  const base = new URL(script.src).origin;
  const api = `${base}/api/v1/widget/${encodeURIComponent(channel)}`;
  const w = WORDS[pickLang(script.dataset.lang, document.documentElement.lang, navigator.language)];
  const storeKey = `replyby-widget:${channel}`;
  let token = localStorage.getItem(storeKey);

  const host = el('div', { 'data-replyby-widget-host': '' });
  const root = host.attachShadow({ mode: 'open' });
  const style = el('style', {}, CSS);
  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'rb-panel' }, w.open);
  const panel = el('section', { id: 'rb-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'rb-title' });
  panel.hidden = true;
  const title = el('h2', { id: 'rb-title' }, '…');
  const closeBtn = el('button', { type: 'button', 'aria-label': w.close }, '×');
  const header = el('header');
  header.append(title, closeBtn);
  const status = el('p', { class: 'status', 'aria-live': 'polite' });
  panel.append(header, status);
  root.append(style, launcher, panel);
  document.body.append(host);

  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.textContent = open ? w.close : w.open;
    if (open) (panel.querySelector('input, textarea') as HTMLElement | null)?.focus();
  };
  launcher.addEventListener('click', () => setOpen(panel.hidden));
  closeBtn.addEventListener('click', () => {
    setOpen(false);
    launcher.focus();
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      setOpen(false);
      launcher.focus();
    }
  });

  const post = async (path: string, body: unknown): Promise<Response> => fetch(`${api}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-widget-token': token } : {}) }, body: JSON.stringify(body),
  });

  // Before the visitor writes: on duty or not, the queue ahead and the expected wait.
  try {
    const s = await (await fetch(`${api}/status`)).json() as Status;
    host.style.setProperty('--rb-color', s.color);
    title.textContent = s.title;
    status.textContent = s.online
      ? [w.online, s.ahead > 0 ? w.ahead(s.ahead) : '', s.wait_seconds !== null ? w.wait(duration(w, s.wait_seconds)) : ''].filter(Boolean).join(' ')
      : w.offline;
  } catch {
    host.style.setProperty('--rb-color', '#1d4ed8');
    title.textContent = w.team;
  }

  const chat = el('div');
  chat.style.display = 'contents';
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': w.log, tabindex: '0' });
  const typing = el('p', { class: 'typing', 'aria-live': 'polite' });
  const note = el('p', { class: 'note', 'aria-live': 'polite' });
  const form = el('form');
  const input = el('textarea', { id: 'rb-text', rows: '2' });
  const inputLabel = el('label', { for: 'rb-text', class: 'sr' }, w.message);
  const send = el('button', { type: 'submit', class: 'primary' }, w.send);
  const row = el('div', { class: 'row' });
  row.append(input, send);
  form.append(inputLabel, row);
  const transcript = el('button', { type: 'button', class: 'link' }, w.transcript);
  chat.append(log, typing, note, form, transcript);

  let lastSeq = 0;
  const render = (m: Message) => {
    if (m.seq <= lastSeq) return;
    lastSeq = m.seq;
    const li = el('div', { class: `msg ${m.author}` });
    li.append(el('span', { class: 'who' }, m.author === 'visitor' ? w.you : m.author_name || w.team), document.createTextNode(m.body));
    log.append(li);
    log.scrollTop = log.scrollHeight;
  };

  let source: EventSource | null = null;
  const connect = () => {
    source?.close();
    const es = new EventSource(`${api}/stream?token=${encodeURIComponent(token ?? '')}&after=${lastSeq}`);
    source = es;
    es.addEventListener('message', (e) => {
      render(JSON.parse((e as MessageEvent<string>).data) as Message);
      typing.textContent = '';
    });
    es.addEventListener('typing', (e) => {
      typing.textContent = (JSON.parse((e as MessageEvent<string>).data) as { typing: boolean }).typing ? w.typing : '';
    });
    es.addEventListener('open', () => {
      if (note.textContent === w.reconnecting) note.textContent = '';
    });
    es.addEventListener('error', () => {
      note.textContent = w.reconnecting;
      // The browser retries by itself (with Last-Event-ID); a refused stream is closed: try again after a pause.
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    });
  };

  // A message is retried with its client id until the server has it (a dropped connection, a restart).
  const sendText = async (text: string) => {
    const body = { client_id: randomId(), text };
    for (let attempt = 0; attempt < 6; attempt += 1) {
      try {
        const res = await post('/messages', body);
        if (res.ok) return true;
        if (res.status < 500 && res.status !== 429) return false;
      } catch { /* the network: retried below */ }
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
    return false;
  };

  let typingSent = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    const now = Date.now();
    if (now - typingSent > 3000) {
      typingSent = now;
      void post('/typing', { typing: true }).catch(() => undefined);
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typingSent = 0;
      void post('/typing', { typing: false }).catch(() => undefined);
    }, 4000);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    note.textContent = '';
    if (!(await sendText(text))) {
      input.value = text;
      note.textContent = w.failed;
    }
  });
  transcript.addEventListener('click', async () => {
    const res = await post('/transcript', {}).catch(() => null);
    const body = res ? await res.json().catch(() => null) as { to?: string } | null : null;
    note.textContent = res?.ok && body?.to ? w.transcriptSent(body.to) : w.failed;
  });

  const startChat = () => {
    panel.append(chat);
    connect();
  };

  if (token) {
    startChat();
    return;
  }
  // The pre-chat form: name, e-mail, the first message.
  const pre = el('form', { novalidate: '' });
  const field = (id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement) => {
    control.id = id;
    const wrap = el('div');
    wrap.append(el('label', { for: id }, label), control);
    return wrap;
  };
  const name = el('input', { type: 'text', autocomplete: 'name', required: '' });
  const email = el('input', { type: 'email', autocomplete: 'email' });
  const first = el('textarea', { rows: '3', required: '' });
  const error = el('p', { class: 'note error', role: 'alert' });
  pre.append(field('rb-name', w.name, name), field('rb-email', w.emailOptional, email), field('rb-first', w.message, first), error, el('button', { type: 'submit', class: 'primary' }, w.start));
  panel.append(pre);
  pre.addEventListener('submit', async (e) => {
    e.preventDefault();
    const missing = [name, first].find((c) => !c.value.trim());
    for (const c of [name, first]) c.setAttribute('aria-invalid', String(!c.value.trim()));
    if (missing) {
      error.textContent = w.required;
      missing.focus();
      return;
    }
    const res = await post('/sessions', {
      name: name.value.trim(), message: first.value.trim(), language: pickLang(script.dataset.lang, document.documentElement.lang, navigator.language),
      ...(email.value.trim() ? { email: email.value.trim() } : {}),
    }).catch(() => null);
    const body = res ? await res.json().catch(() => null) as { token?: string; error?: { message?: string; path?: string } } | null : null;
    if (!res?.ok || !body?.token) {
      error.textContent = body?.error?.message ?? w.failed;
      if (body?.error?.path === 'email') email.focus();
      return;
    }
    token = body.token;
    localStorage.setItem(storeKey, token);
    pre.remove();
    startChat();
    input.focus();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void boot());
else void boot();
