import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, ApiError, type Ticket } from '../../lib/api.ts';
import { formatDateTime, formatWhen } from '../../lib/format.ts';
import { Link, useMatch, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../lib/session.tsx';
import { keys, useLoad } from '../../lib/query.ts';
import { SignInForm, useSignIn } from '../../app/sign-in-form.tsx';
import { Timeline } from '../../app/timeline.tsx';
import { Badge, ErrorBanner, Field, Loading, statusTone } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { PromiseNotice } from '../promise/promise-notice.tsx';
import { ClosurePanel } from '../promise/closure-panel.tsx';
import { closureApi, type ClosureLinkView, type ClosureOutcome, type ClosureResult } from '../promise/closure-api.ts';
import { promiseLanguage } from '../promise/promise-format.ts';
import { useWords } from '../../i18n/i18n.ts';
import { AttachFiles, useAttachments } from '../attachments/attach-files.tsx';
import { ServiceBanner } from '../status/service-banner.tsx';

/** A status in the customer's words, in the page's language (an unknown status shows as it is). */
function useStatusLabel(): (status: string) => string {
  const { t } = useTranslation('customer');
  return (status) => t(`portal.status.${status}`, { defaultValue: status });
}

export function PortalApp() {
  const { principal, signOut } = useSession();
  const { t: c } = useTranslation('customer');
  usePageTitle(c('portal.pageTitle'));
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
          Replyby <span className="muted">{c('portal.brandSuffix')}</span>
        </Link>
        <nav>
          <Link to="/portal">{c('portal.nav.myRequests')}</Link>
          <a href="/support">{c('portal.nav.newRequest')}</a>
        </nav>
        <div className="topbar-user">
          <LanguageSwitch />
          <span className="muted" data-testid="current-user">
            {principal.name || principal.email}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {c('portal.nav.signOut')}
          </button>
        </div>
      </header>
      <main className="page narrow"><ServiceBanner audience="customer" />{t?.number ? <PortalTicket key={t.number} number={t.number} /> : <PortalList />}</main>
    </div>
  );
}

/** Signs a customer in where they are: a link asked for from a ticket's address leads back to that ticket. */
function PortalSignIn() {
  const ticket = useMatch('/portal/tickets/:number')?.params;
  const { principal, signOut } = useSession();
  const { t: c } = useTranslation('customer');
  const form = useSignIn(api.portalSignIn);
  const [linkSent, setLinkSent] = useState(false);
  // The server sends a browser here when an e-mailed sign-in link was used or has expired (review 13).
  const [search] = useSearchParams();
  const linkExpired = search.get('link') === 'expired';

  async function sendLink() {
    const email = form.email.trim();
    if (!email) {
      form.setError(new ApiError(400, 'invalid_input', c('portal.signIn.enterEmailFirst'), 'email'));
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
        <div className="public-header">
          <p className="eyebrow">{c('portal.eyebrow')}</p>
          <LanguageSwitch />
        </div>
        <h1>{ticket?.number ? c('portal.signIn.titleTicket') : c('portal.signIn.titleList')}</h1>
        {linkExpired && !linkSent ? (
          <p className="banner banner-warn" role="status" data-testid="link-expired">
            {c('portal.signIn.linkExpired')}
          </p>
        ) : null}
        {principal && principal.kind !== 'contact' ? (
          <p className="banner">
            <Trans t={c} i18nKey="portal.signIn.staff" values={{ email: principal.email }}
              components={{ 1: <button type="button" className="link-button" onClick={() => void signOut()} /> }} />
          </p>
        ) : null}
        {linkSent ? (
          <div className="banner banner-ok" role="status" data-testid="magic-link-sent">
            <Trans t={c} i18nKey="portal.signIn.linkSent" values={{ email: form.email }} components={{ 1: <strong /> }} />
          </div>
        ) : null}
        <SignInForm form={form} testId="portal-sign-in" emailAutoComplete="email">
          <button className="button primary" type="submit" disabled={form.busy || !form.password}>
            {c('portal.signIn.submit')}
          </button>
          <button className="button" type="button" disabled={form.busy} onClick={() => void sendLink()}
            data-testid="send-magic-link">
            {c('portal.signIn.sendLink')}
          </button>
        </SignInForm>
      </section>
      <p className="muted center small">
        {c('portal.signIn.newHere')} <a href="/support">{c('portal.signIn.sendUsRequest')}</a>.
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
  const { t: c } = useTranslation('customer');
  const statusLabel = useStatusLabel();
  const statuses = LIST_FILTERS[filter];
  const { t: m } = useTranslation('merge');
  // Pages by the API's cursor (review 2026-12-07 item 27: a manager's ~150 requests stopped at 100, silently).
  const list = useInfiniteQuery({
    queryKey: keys.ticketList({ portal: true, filter, paged: true }),
    queryFn: ({ pageParam }) => api.tickets({ sort: '-updated_at', limit: PORTAL_PAGE, ...(statuses ? { status: [...statuses] } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.data);
  return (
    <>
      <div className="page-head">
        <h1>{c('portal.list.title')}</h1>
        <a className="button" href="/support">
          {c('portal.list.newRequest')}
        </a>
      </div>
      <div className="segmented" role="group" aria-label={c('portal.list.filter')} data-testid="portal-filter">
        {(['all', 'open', 'closed'] as const).map((f) => (
          <button key={f} type="button" className={`button small${filter === f ? ' primary' : ''}`} aria-pressed={filter === f} data-testid={`portal-filter-${f}`}
            onClick={() => setSearch(f === 'all' ? {} : { status: f })}>
            {f === 'all' ? c('closure.allRequests') : f === 'open' ? c('closure.openRequests') : c('closure.closedRequests')}
          </button>
        ))}
      </div>
      <ErrorBanner error={list.error ?? undefined} />
      {rows === undefined ? (
        list.error ? null : <Loading />
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="portal-empty">{c('portal.list.empty')}</p>
      ) : (
        <>
        <p className="muted small" data-testid="portal-count" role="status">
          {list.hasNextPage ? m('portal.shown', { count: rows.length }) : c('portal.list.count', { count: rows.length })}
        </p>
        <ul className="card-list" data-testid="portal-tickets">
          {rows.map((t) => (
            <li key={t.id} data-testid={`portal-ticket-${t.number}`}>
              <Link to={`/portal/tickets/${t.number}`} className="card-link">
                <span className="num">{t.display_number}</span>
                <span className="subject">{t.subject}</span>
                <Badge tone={statusTone(t.status)}>{statusLabel(t.status)}</Badge>
                {t.archived_at ? <span className="muted small">{c('closure.archived')}</span> : null}
                <span className="muted small" data-testid="raised-by">
                  {c('closure.raisedBy')}: {t.requester.id === principal?.id ? c('closure.you') : t.requester.name || t.requester.email}
                </span>
                <span className="muted small">{c('portal.list.updated', { when: formatWhen(t.updated_at) })}</span>
              </Link>
            </li>
          ))}
        </ul>
        {list.hasNextPage ? (
          <div className="actions">
            <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="portal-more">
              {m('portal.showMore')}
            </button>
          </div>
        ) : null}
        </>
      )}
    </>
  );
}

/** Requests per page of the portal list. */
const PORTAL_PAGE = 50;

function PortalTicket({ number }: { number: string }) {
  const navigate = useNavigate();
  const { principal } = useSession();
  const { t: c } = useTranslation('customer');
  const { t: m } = useTranslation('merge');
  const statusLabel = useStatusLabel();
  // The closure answer's thanks stays on the page after the reload closes the request (and hides the panel).
  const [closed, setClosed] = useState<ClosureResult | null>(null);
  const ticket = useLoad(keys.ticket(number), () => api.ticket(number));
  const timeline = useLoad(keys.timeline(number), () => api.timeline(number));
  const attachments = useLoad(keys.attachments(number), () => api.attachments(number));
  const [body, setBody] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const files = useAttachments();

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    await run(async () => {
      await api.postMessage(number, body, undefined, undefined, await files.toUpload());
      setBody('');
      files.clear();
      await Promise.all([timeline.reload(), ticket.reload(), attachments.reload()]);
    }, (err) => {
      // A refused file is named beside it (review item 11); anything else in the banner.
      if (!files.showServerErrors(err)) setError(err);
    });
  }

  if (ticket.error instanceof ApiError && ticket.error.status === 404) {
    return (
      <>
        <h1>{c('portal.ticket.notFound')}</h1>
        <p className="muted">{c('portal.ticket.notFoundText')}</p>
        <button type="button" className="button" onClick={() => navigate('/portal')}>
          {c('portal.ticket.back')}
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
            <span data-testid="ticket-display-number">{t.display_number}</span> · {c('portal.ticket.opened', { when: formatDateTime(t.created_at) })}
          </p>
          <h1 data-testid="ticket-subject">{t.subject}</h1>
          <Badge tone={statusTone(t.status)} testId="ticket-status">
            {statusLabel(t.status)}
          </Badge>
          {t.status === 'solved' || t.status === 'closed' ? null : <PromiseNotice promise={t.promise} />}
        </div>
      ) : ticket.error ? null : (
        <Loading />
      )}
      {t && t.status === 'solved' && t.requester.id === principal?.id ? (
        <ClosurePanel key={t.solved_at ?? ''} submit={(answer) => closureApi.answerInPortal(number, answer)}
          onDone={(r) => { setClosed(r); void Promise.all([timeline.reload(), ticket.reload()]); }} />
      ) : closed ? (
        <p className="banner banner-ok" role="status" data-testid="closure-done">
          {closed.outcome === 'solved' ? c('closure.thanksSolved') : c('closure.thanksReopened')}
        </p>
      ) : null}
      <section className="panel">
        <h2>{c('portal.ticket.conversation')}</h2>
        <ErrorBanner error={timeline.error} />
        {timeline.data ? <Timeline entries={timeline.data.data} audience="customer" attachments={attachments.data?.data} ticketRef={number} viewerId={principal?.id} /> : timeline.error ? null : <Loading />}
      </section>
      {t?.merged && !t.archived_at ? (
        // Merged into another request: the conversation stays here and replies still reach the team.
        <p className="banner" role="status" data-testid="portal-merged">{m('portal.merged')}</p>
      ) : null}
      {t?.archived_at ? (
        <p className="muted" data-testid="portal-archived"><Trans t={c} i18nKey="portal.ticket.archived" components={{ 1: <a href="/support" /> }} /></p>
      ) : t?.status === 'closed' && !t.merged ? (
        // A closed ticket takes no more replies (the API refuses them): say so and offer a new request instead of a box that fails.
        <p className="muted" data-testid="portal-closed"><Trans t={c} i18nKey="portal.ticket.closedNotice" components={{ 1: <a href="/support" /> }} /></p>
      ) : (
      <section className="panel">
        <form onSubmit={send} data-testid="portal-reply">
          <Field label={c('portal.ticket.reply')}>
            {(p) => <textarea {...p} name="body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <AttachFiles state={files} testId="portal-attach" />
          <ErrorBanner error={error} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy || !body.trim()}>
              {busy ? c('portal.ticket.sending') : c('portal.ticket.send')}
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
  useWords(lang);
  useWords(lang, 'customer');
  const { t: c, i18n } = useTranslation('customer');
  // The words follow the link's language (the customer's, from the mail), not the page's.
  const s = i18n.getFixedT(lang, 'customer', 'closure');
  return (
    <main className="public-page">
      <section className="card narrow-card" data-testid="closure-link-page" lang={lang}>
        <p className="eyebrow">{c('portal.eyebrow', { lng: lang })}</p>
        {view.error ? (
          <p className="banner banner-warn" role="status" data-testid="closure-unknown">{s('unknownLink')}</p>
        ) : !v ? (
          <Loading />
        ) : (
          <>
            <h1 data-testid="closure-subject">{s('request')} #{v.number}: {v.subject}</h1>
            {v.answerable ? (
              <ClosurePanel initial={initial} language={lang} submit={(a) => closureApi.answerByLink(token, a)} />
            ) : (
              <p className="banner" role="status" data-testid="closure-not-answerable">{v.answered ? s('alreadyAnswered') : s('notAnswerable')}</p>
            )}
          </>
        )}
        <p className="muted center small"><a href={`/portal/tickets/${v?.number ?? ''}`}>{s('backToRequests')}</a></p>
      </section>
    </main>
  );
}
