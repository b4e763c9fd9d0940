import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { changePromise, changePromiseInput } from '../../app/promise/change-promise.ts';
import { listCommitments } from '../../app/promise/list-commitments.ts';
import { promiseReportInput, reportPromises } from '../../app/promise/report-promises.ts';
import { answerClosureByLink, answerClosureInPortal, closureAnswerInput, viewClosureLink } from '../../app/promise/confirm-closure.ts';
import { getLifecycleSettings, lifecycleSettingsInput, updateLifecycleSettings } from '../../app/promise/lifecycle-settings.ts';
import { reportClosures, reportStageDeadlines } from '../../app/promise/report-lifecycle.ts';
import { defineRoute } from '../define-route.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;
const tokenParam = (params: unknown): string => z.object({ token: z.string().max(200) }).parse(params).token;

export function promiseRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/commitments', summary: 'First-response commitments by request type and urgency, published before submission', tags: ['public'], auth: 'none',
    handler: async () => ({ body: await listCommitments(ctx, null) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/portal/commitments', summary: 'The signed-in customer\'s commitments (their tier)', tags: ['portal'], auth: 'any',
    handler: async (_req, principal) => ({ body: await listCommitments(ctx, principal) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/promise', summary: 'Set or extend the promise on one ticket (the customer is told; the original is kept)', tags: ['tickets'], auth: 'staff', body: changePromiseInput,
    handler: async (req, principal) => ({ body: await changePromise(ctx, principal, refParam(req.params), req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/promises', summary: 'Promises kept: share of original promises met by the first reply', tags: ['reports'], auth: 'staff', query: promiseReportInput,
    handler: async (req, principal) => ({ body: await reportPromises(ctx, principal, req.query) }),
  });
  // Confirmed closure (issue 11). The link's GET only shows the question; the answer is a POST.
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/public/closure/:token', summary: 'What a closure link asks (read-only: opening or prefetching it changes nothing)', tags: ['public'], auth: 'none',
    handler: async (req) => ({ body: await viewClosureLink(ctx, tokenParam(req.params)) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/public/closure/:token', summary: 'Answer "solved" (optionally with a 1–5 rating and comment) or "not solved" through the mail\'s link', tags: ['public'], auth: 'none', body: closureAnswerInput,
    rateLimit: { max: 30, timeWindow: '1 minute' },
    handler: async (req) => ({ body: await answerClosureByLink(ctx, tokenParam(req.params), req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/portal/tickets/:ref/closure', summary: 'The requester answers "solved" / "not solved" on the portal', tags: ['portal'], auth: 'any', body: closureAnswerInput,
    handler: async (req, principal) => ({ body: await answerClosureInPortal(ctx, principal, refParam(req.params), req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/admin/lifecycle-settings', summary: 'Closure silence, archiving period, promise warning lead and which customer notices are sent', tags: ['admin'], auth: 'staff',
    handler: async (_req, principal) => ({ body: await getLifecycleSettings(ctx, principal) }),
  });
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/admin/lifecycle-settings', summary: 'Change the lifecycle settings (admins)', tags: ['admin'], auth: 'staff', body: lifecycleSettingsInput,
    handler: async (req, principal) => ({ body: await updateLifecycleSettings(ctx, principal, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/closures', summary: 'Confirmed, reopened and silently closed tickets, and customer satisfaction (CSAT)', tags: ['reports'], auth: 'staff', query: promiseReportInput,
    handler: async (req, principal) => ({ body: await reportClosures(ctx, principal, req.query) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/reports/stage-deadlines', summary: 'Stage deadlines (stage_* metrics of the policies): met, breached and running per stage', tags: ['reports'], auth: 'staff', query: promiseReportInput,
    handler: async (req, principal) => ({ body: await reportStageDeadlines(ctx, principal, req.query) }),
  });
}
