import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { changePromise, changePromiseInput } from '../../app/promise/change-promise.ts';
import { listCommitments } from '../../app/promise/list-commitments.ts';
import { promiseReportInput, reportPromises } from '../../app/promise/report-promises.ts';
import { defineRoute } from '../define-route.ts';

const refParam = (params: unknown): string => z.object({ ref: z.string().max(64) }).parse(params).ref;

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
}
