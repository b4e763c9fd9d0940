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

export function PortalApp() {
  const { principal, signOut } = useSession();
  const t = useMatch('/portal/tickets/:number')?.params;
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

function PortalList() {
  const list = useLoad(keys.ticketList({ portal: true }), () => api.tickets({ sort: '-updated_at', limit: 100 }));
  return (
    <>
      <div className="page-head">
        <h1>My requests</h1>
        <a className="button" href="/support">
          New request
        </a>
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
      <section className="panel">
        <h2>Conversation</h2>
        <ErrorBanner error={timeline.error} />
        {timeline.data ? <Timeline entries={timeline.data.data} audience="customer" /> : timeline.error ? null : <Loading />}
      </section>
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
    </>
  );
}
