import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { changeSideState, sideStateInput } from '../../app/sideconv/change-side-state.ts';
import { getSideConversation, listSideConversations } from '../../app/sideconv/list-side-conversations.ts';
import { startSideConversation, startSideConversationInput } from '../../app/sideconv/start-side-conversation.ts';
import { sideMessageInput, writeSideMessage } from '../../app/sideconv/write-side-message.ts';
import { defineRoute } from '../define-route.ts';

const params = (p: unknown) => z.object({ ref: z.string().max(64), id: z.string().max(64).optional() }).parse(p);

/** Side conversations of a ticket (docs/side-conversations.md). */
export function sideConversationRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref/side-conversations', summary: 'A ticket\'s side conversations with their state and waiting clock', tags: ['tickets'], auth: 'staff',
    handler: async (req, principal) => ({ body: await listSideConversations(ctx, principal, params(req.params).ref) }),
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/side-conversations', summary: 'Start a side conversation with a group (internal) or an outside address (e-mail)', tags: ['tickets'], auth: 'staff',
    body: startSideConversationInput, idempotent: true,
    handler: async (req, principal) => ({ status: 201, body: await startSideConversation(ctx, principal, params(req.params).ref, req.body) }),
  });
  defineRoute(app, ctx, {
    method: 'GET', url: '/api/v1/tickets/:ref/side-conversations/:id', summary: 'One side conversation with its thread', tags: ['tickets'], auth: 'staff',
    handler: async (req, principal) => { const p = params(req.params); return { body: await getSideConversation(ctx, principal, p.ref, p.id ?? '') }; },
  });
  defineRoute(app, ctx, {
    method: 'POST', url: '/api/v1/tickets/:ref/side-conversations/:id/messages', idempotent: true, summary: 'Write in a side conversation (mailed to an outside party)', tags: ['tickets'], auth: 'staff',
    body: sideMessageInput,
    handler: async (req, principal) => { const p = params(req.params); return { status: 201, body: await writeSideMessage(ctx, principal, p.ref, p.id ?? '', req.body) }; },
  });
  defineRoute(app, ctx, {
    method: 'PATCH', url: '/api/v1/tickets/:ref/side-conversations/:id', summary: 'Close or reopen a side conversation', tags: ['tickets'], auth: 'staff',
    body: sideStateInput,
    handler: async (req, principal) => { const p = params(req.params); return { body: await changeSideState(ctx, principal, p.ref, p.id ?? '', req.body) }; },
  });
}
