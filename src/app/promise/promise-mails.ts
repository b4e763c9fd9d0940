import type { CustomerLanguage } from '../../core/email/language.ts';
import { blankTemplateValues, formatPromiseTime, renderTemplate, TEAM_NAME, type TemplateKey, type TemplateValues } from '../../core/email/templates.ts';
import type { AppContext, OutgoingMail } from '../context.ts';
import { loadTemplate } from '../email/manage-templates.ts';
import { issueClosureLink } from './confirm-closure.ts';
import { loadLifecycleSettings } from './lifecycle-settings.ts';
import { PROMISE_COLUMNS, promiseData, type PromiseColumns } from './promise-for-ticket.ts';

// The promise's own mails are templates of the admin-editable store (core/email/templates.ts defaults,
// mail_templates edits through the template admin API): promise_changed, work_started, waiting_on_you,
// closure_request, in the requester's language.

async function render(ctx: AppContext, key: TemplateKey, language: CustomerLanguage, to: string, values: TemplateValues): Promise<OutgoingMail> {
  const template = await loadTemplate(ctx.db, key, language);
  return { to, subject: renderTemplate(template.subject, values), text: renderTemplate(template.body, values) };
}

/** The "we need more time; new estimate …" mail, rendered from the ticket's CURRENT promise at send time. */
export async function renderPromiseMail(ctx: AppContext, job: { kind: string; payload: Record<string, unknown> }): Promise<OutgoingMail | null> {
  if (job.kind === 'mail.promise_work_started' || job.kind === 'mail.promise_waiting_on_you' || job.kind === 'mail.promise_closure_request') return renderNoticeMail(ctx, job);
  if (job.kind !== 'mail.promise_changed') return null;
  const [t] = await ctx.db.query<PromiseColumns & { id: string; number: number; email: string; name: string }>(
    `SELECT t.id, t.number, c.email, c.name, ${PROMISE_COLUMNS} FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = $1`, [job.payload.ticket_id]);
  const promise = t ? promiseData(t) : null;
  if (!t || !promise?.view) return null;
  return render(ctx, 'promise_changed', promise.language, t.email, {
    ...blankTemplateValues(),
    'ticket.number': String(t.number), 'ticket.ref': `${ctx.settings.ticketPrefix}${t.number}`, 'ticket.url': `${ctx.settings.publicUrl}/portal/tickets/${t.number}`,
    'requester.name': t.name, 'requester.email': t.email,
    ...promise.words, 'promise.message': promise.view.message ?? '',
  });
}

/**
 * A progress notice or the "is it solved?" question, from the ticket's state at send time: a notice
 * that no longer fits (the ticket moved on before the mail left) is not sent. The closure links are
 * minted here, so no usable token rests in the outbox.
 */
async function renderNoticeMail(ctx: AppContext, job: { kind: string; payload: Record<string, unknown> }): Promise<OutgoingMail | null> {
  const [t] = await ctx.db.query<PromiseColumns & { id: string; number: number; subject: string; solved_at: Date | null; requester_id: string; email: string; name: string; agent: string | null }>(
    `SELECT t.id, t.number, t.subject, t.solved_at, t.requester_id, c.email, c.name, u.name AS agent, ${PROMISE_COLUMNS}
     FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = $1`, [job.payload.ticket_id]);
  if (!t) return null;
  // The promise from the same read; language and zone are the requester's (promise-for-ticket.ts).
  const promise = promiseData(t);
  const language = promise.language;
  const base = ctx.settings.publicUrl;
  const values: TemplateValues = {
    ...blankTemplateValues(),
    'ticket.number': String(t.number), 'ticket.ref': `${ctx.settings.ticketPrefix}${t.number}`, 'ticket.subject': t.subject, 'ticket.url': `${base}/portal/tickets/${t.number}`,
    'requester.name': t.name, 'requester.email': t.email, 'agent.name': t.agent ?? TEAM_NAME[language],
    // An admin's notice text may state the promise too: the same stored promise as the acknowledgement's.
    ...promise.words,
  };
  let key: TemplateKey;
  if (job.kind === 'mail.promise_closure_request') {
    if (t.status !== 'solved' || !t.solved_at) return null;
    const settings = await loadLifecycleSettings(ctx.db);
    const token = await issueClosureLink(ctx.db, t.id, t.requester_id, ctx.now(), settings.closure_link_days);
    values['closure.solved_url'] = `${base}/portal/confirm/${token}?answer=solved`;
    values['closure.not_solved_url'] = `${base}/portal/confirm/${token}?answer=not_solved`;
    values['closure.closes_local'] = formatPromiseTime(new Date(t.solved_at.getTime() + settings.solved_close_after_hours * 3_600_000), promise.time_zone, language);
    key = 'closure_request';
  } else if (job.kind === 'mail.promise_waiting_on_you') {
    if (t.status !== 'pending') return null;
    key = 'waiting_on_you';
  } else {
    if (t.status === 'solved' || t.status === 'closed') return null;
    key = 'work_started';
  }
  return render(ctx, key, language, t.email, values);
}
