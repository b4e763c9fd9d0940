import { useState, type FormEvent } from 'react';
import { api, ApiError, type Ticket } from '../../lib/api.ts';
import { CUSTOMER_STATUS_LABELS, formatDateTime, formatWhen } from '../../lib/format.ts';
import { Link, useMatch, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../lib/session.tsx';
import { keys, useLoad } from '../../lib/query.ts';
import { SignInForm, useSignIn } from '../../app/sign-in-form.tsx';
import { Timeline } from '../../app/timeline.tsx';
import { Badge, ErrorBanner, Field, Loading, statusTone } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { PromiseNotice } from '../promise/promise-notice.tsx';
import { ClosurePanel } from '../promise/closure-panel.tsx';
import { closureApi, type ClosureLinkView, type ClosureOutcome } from '../promise/closure-api.ts';
import { CLOSURE_STRINGS } from '../promise/closure-strings.ts';
import { promiseLanguage } from '../promise/promise-strings.ts';

export function PortalApp() {
  const { principal, signOut } = useSession();
  const t = useMatch('/portal/tickets/:number')?.params;
  const confirm = useMatch('/portal/confirm/:token')?.params;
  // The "is it solved?" link from the mail works without signing in: the token is the proof.
  if (confirm?.token) return <ClosureLinkPage token={confirm.token} />;
  if (principal === undefined) return <Loading />;
  if (!principal || principal.kind !== 'contact') return <PortalSignIn />;

  return (
    <div className="portal">
      <header className="topbar">
        <Link to="/portal" className="brand">
          Replyby <span className="muted">support</span>
        </Link>
        <nav>
          <Link to="/portal">My requests</Link>
          <a href="/support">New request</a>
        </nav>
        <div className="topbar-user">
          <span className="muted" data-testid="current-user">
            {principal.name || principal.email}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="page narrow">{t?.number ? <PortalTicket key={t.number} number={t.number} /> : <PortalList />}</main>
    </div>
  );
}

/** Signs a customer in where they are: a link asked for from a ticket's address leads back to that ticket. */
function PortalSignIn() {
  const ticket = useMatch('/portal/tickets/:number')?.params;
  const { principal, signOut } = useSession();
  const form = useSignIn(api.portalSignIn);
  const [linkSent, setLinkSent] = useState(false);
  // The server sends a browser here when an e-mailed sign-in link was used or has expired (review 13).
  const [search] = useSearchParams();
  const linkExpired = search.get('link') === 'expired';

  async function sendLink() {
    const email = form.email.trim();
    if (!email) {
      form.setError(new ApiError(400, 'invalid_input', 'Enter your e-mail address first.', 'email'));
      return;
    }
    await form.run(async () => {
      // Only a canonical ticket address is a valid destination for the link; anything else leads to the list.
      const back = ticket?.number && /^[1-9][0-9]{0,9}$/.test(ticket.number) ? `/portal/tickets/${ticket.number}` : undefined;
      await api.magicLink(email, back);
      setLinkSent(true);
    });
  }

  return (
    <main className="public-page">
      <section className="card narrow-card">
        <p className="eyebrow">Replyby support</p>
        <h1>{ticket?.number ? 'Sign in to follow your request' : 'Follow your requests'}</h1>
        {linkExpired && !linkSent ? (
          <p className="banner banner-warn" role="status" data-testid="link-expired">
            This sign-in link has expired or was already used. Enter your e-mail address below and choose “E-mail me a sign-in link” for a new one.
          </p>
        ) : null}
        {principal && principal.kind !== 'contact' ? (
          <p className="banner">
            You are signed in as staff ({principal.email}).{' '}
            <button type="button" className="link-button" onClick={() => void signOut()}>
              Sign out
            </button>{' '}
            to use the customer portal.
          </p>
        ) : null}
        {linkSent ? (
          <div className="banner banner-ok" role="status" data-testid="magic-link-sent">
            If <strong>{form.email}</strong> has requests with us, a sign-in link is on its way. Open it on this device.
          </div>
        ) : null}
        <SignInForm form={form} testId="portal-sign-in" emailAutoComplete="email">
          <button className="button primary" type="submit" disabled={form.busy || !form.password}>
            Sign in
          </button>
          <button className="button" type="button" disabled={form.busy} onClick={() => void sendLink()}
            data-testid="send-magic-link">
            E-mail me a sign-in link
          </button>
        </SignInForm>
      </section>
      <p className="muted center small">
        New here? <a href="/support">Send us a request</a>.
      </p>
    </main>
  );
}

const LIST_FILTERS = { all: undefined, open: ['new', 'open', 'pending', 'on_hold'], closed: ['solved', 'closed'] } as const;
type ListFilter = keyof typeof LIST_FILTERS;

function PortalList() {
  const { principal } = useSession();
  const [search, setSearch] = useSearchParams();
  const filter: ListFilter = search.get('status') === 'open' || search.get('status') === 'closed' ? (search.get('status') as ListFilter) : 'all';
  const s = CLOSURE_STRINGS[promiseLanguage()];
  const statuses = LIST_FILTERS[filter];
  const list = useLoad(keys.ticketList({ portal: true, filter }), () => api.tickets({ sort: '-updated_at', limit: 100, ...(statuses ? { status: [...statuses] } : {}) }));
  return (
    <>
      <div className="page-head">
        <h1>My requests</h1>
        <a className="button" href="/support">
          New request
        </a>
      </div>
      <div className="segmented" role="group" aria-label="Filter" data-testid="portal-filter">
        {(['all', 'open', 'closed'] as const).map((f) => (
          <button key={f} type="button" className={`button small${filter === f ? ' primary' : ''}`} aria-pressed={filter === f} data-testid={`portal-filter-${f}`}
            onClick={() => setSearch(f === 'all' ? {} : { status: f })}>
            {f === 'all' ? s.allRequests : f === 'open' ? s.openRequests : s.closedRequests}
          </button>
        ))}
      </div>
      <ErrorBanner error={list.error} />
      {list.data === undefined ? (
        list.error ? null : <Loading />
      ) : list.data.data.length === 0 ? (
        <p className="muted">You have no requests yet.</p>
      ) : (
        <ul className="card-list" data-testid="portal-tickets">
          {list.data.data.map((t) => (
            <li key={t.id} data-testid={`portal-ticket-${t.number}`}>
              <Link to={`/portal/tickets/${t.number}`} className="card-link">
                <span className="num">{t.display_number}</span>
                <span className="subject">{t.subject}</span>
                <Badge tone={statusTone(t.status)}>{CUSTOMER_STATUS_LABELS[t.status] ?? t.status}</Badge>
                {t.archived_at ? <span className="muted small">{s.archived}</span> : null}
                <span className="muted small" data-testid="raised-by">
                  {s.raisedBy}: {t.requester.id === principal?.id ? s.you : t.requester.name || t.requester.email}
                </span>
                <span className="muted small">Updated {formatWhen(t.updated_at)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function PortalTicket({ number }: { number: string }) {
  const navigate = useNavigate();
  const { principal } = useSession();
  const ticket = useLoad(keys.ticket(number), () => api.ticket(number));
  const timeline = useLoad(keys.timeline(number), () => api.timeline(number));
  const [body, setBody] = useState('');
  const { busy, error, run } = useSubmit();

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    await run(async () => {
      await api.postMessage(number, body);
      setBody('');
      await Promise.all([timeline.reload(), ticket.reload()]);
    });
  }

  if (ticket.error instanceof ApiError && ticket.error.status === 404) {
    return (
      <>
        <h1>Request not found</h1>
        <p className="muted">We could not find that request in your account.</p>
        <button type="button" className="button" onClick={() => navigate('/portal')}>
          Back to my requests
        </button>
      </>
    );
  }

  const t: Ticket | undefined = ticket.data;
  return (
    <>
      <ErrorBanner error={ticket.error} />
      {t ? (
        <div className="ticket-head" data-testid="portal-ticket-head">
          <p className="eyebrow">
            <span data-testid="ticket-display-number">{t.display_number}</span> · opened {formatDateTime(t.created_at)}
          </p>
          <h1 data-testid="ticket-subject">{t.subject}</h1>
          <Badge tone={statusTone(t.status)} testId="ticket-status">
            {CUSTOMER_STATUS_LABELS[t.status] ?? t.status}
          </Badge>
          {t.status === 'solved' || t.status === 'closed' ? null : <PromiseNotice promise={t.promise} />}
        </div>
      ) : ticket.error ? null : (
        <Loading />
      )}
      {t && t.status === 'solved' && t.requester.id === principal?.id ? (
        <ClosurePanel key={t.solved_at ?? ''} submit={(answer) => closureApi.answerInPortal(number, answer)}
          onDone={() => void Promise.all([timeline.reload(), ticket.reload()])} />
      ) : null}
      <section className="panel">
        <h2>Conversation</h2>
        <ErrorBanner error={timeline.error} />
        {timeline.data ? <Timeline entries={timeline.data.data} audience="customer" /> : timeline.error ? null : <Loading />}
      </section>
      {t?.archived_at ? (
        <p className="muted" data-testid="portal-archived">This request is archived and can no longer change. <a href="/support">Send a new request</a> if you need more help.</p>
      ) : (
      <section className="panel">
        <form onSubmit={send} data-testid="portal-reply">
          <Field label="Add a reply">
            {(p) => <textarea {...p} name="body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <ErrorBanner error={error} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy || !body.trim()}>
              {busy ? 'Sending…' : 'Send reply'}
            </button>
          </div>
        </form>
      </section>
      )}
    </>
  );
}

/** The page a closure link opens: shows the question (a GET changes nothing); the button POSTs. */
function ClosureLinkPage({ token }: { token: string }) {
  const [search] = useSearchParams();
  const answer = search.get('answer');
  const initial: ClosureOutcome | null = answer === 'solved' || answer === 'not_solved' ? answer : null;
  const view = useLoad(['closure-link', token], () => closureApi.view(token));
  const v: ClosureLinkView | undefined = view.data;
  const lang = promiseLanguage(v?.language && v.language !== 'en' ? v.language : undefined);
  const s = CLOSURE_STRINGS[lang];
  return (
    <main className="public-page">
      <section className="card narrow-card" data-testid="closure-link-page" lang={lang}>
        <p className="eyebrow">Replyby support</p>
        {view.error ? (
          <p className="banner banner-warn" role="status" data-testid="closure-unknown">{s.unknownLink}</p>
        ) : !v ? (
          <Loading />
        ) : (
          <>
            <h1 data-testid="closure-subject">{s.request} #{v.number}: {v.subject}</h1>
            {v.answerable ? (
              <ClosurePanel initial={initial} language={lang} submit={(a) => closureApi.answerByLink(token, a)} />
            ) : (
              <p className="banner" role="status" data-testid="closure-not-answerable">{v.answered ? s.alreadyAnswered : s.notAnswerable}</p>
            )}
          </>
        )}
        <p className="muted center small"><a href={`/portal/tickets/${v?.number ?? ''}`}>{s.backToRequests}</a></p>
      </section>
    </main>
  );
}
