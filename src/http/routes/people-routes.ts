import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendPasswordReset } from '../../app/auth/password-reset.ts';
import type { AppContext } from '../../app/context.ts';
import { contactInput, contactPatchInput, createContact, getContact, listContacts, listContactsInput, updateContact } from '../../app/people/manage-contacts.ts';
import { createGroup, groupInput, groupMembersInput, groupPatchInput, listGroups, setGroupMembers, updateGroup } from '../../app/people/manage-groups.ts';
import { createOrganization, getOrganization, listOrganizations, organizationInput, organizationPatchInput, updateOrganization } from '../../app/people/manage-organizations.ts';
import { createUser, createUserInput, getUser, listUsers, updateUser, updateUserInput } from '../../app/people/manage-users.ts';
import { addListEntry, getLists, listEntryInput } from '../../app/shared/get-lists.ts';
import { listEntryPatchInput, updateListEntry } from '../../app/shared/update-list-entry.ts';
import { defineRoute } from '../define-route.ts';

const idParam = (params: unknown): string => z.object({ id: z.string().uuid('must be a UUID') }).parse(params).id;

export function peopleRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/users', summary: 'List users', tags: ['people'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listUsers(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/users', idempotent: true, summary: 'Create a user', tags: ['people'], auth: 'staff', body: createUserInput,
    handler: async (req, p) => ({ status: 201, body: await createUser(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/users/:id', summary: 'Get a user', tags: ['people'], auth: 'staff',
    handler: async (req, p) => ({ body: await getUser(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/users/:id', summary: 'Change a user', tags: ['people'], auth: 'staff', body: updateUserInput,
    handler: async (req, p) => ({ body: await updateUser(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/users/:id/password-reset', summary: 'E-mail a user a one-time password reset link', tags: ['people'], auth: 'staff',
    handler: async (req, p) => {
      await sendPasswordReset(ctx, p, idParam(req.params));
      return { status: 202, body: { message: 'A reset link is on its way.' } };
    } });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/groups', summary: 'List groups', tags: ['people'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listGroups(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/groups', idempotent: true, summary: 'Create a group', tags: ['people'], auth: 'staff', body: groupInput,
    handler: async (req, p) => ({ status: 201, body: await createGroup(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/groups/:id', summary: 'Change a group', tags: ['people'], auth: 'staff', body: groupPatchInput,
    handler: async (req, p) => ({ body: await updateGroup(ctx, p, idParam(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'PUT', url: '/api/v1/groups/:id/members', summary: "Replace a group's members", tags: ['people'], auth: 'staff', body: groupMembersInput,
    handler: async (req, p) => ({ body: await setGroupMembers(ctx, p, idParam(req.params), req.body) }) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/organizations', summary: 'List organizations', tags: ['people'], auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listOrganizations(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/organizations', idempotent: true, summary: 'Create an organization', tags: ['people'], auth: 'staff', body: organizationInput,
    handler: async (req, p) => ({ status: 201, body: await createOrganization(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/organizations/:id', summary: 'Get an organization', tags: ['people'], auth: 'staff',
    handler: async (req, p) => ({ body: await getOrganization(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/organizations/:id', summary: 'Change an organization (a tier change re-evaluates its SLAs)', tags: ['people'], auth: 'staff', body: organizationPatchInput,
    handler: async (req, p) => ({ body: await updateOrganization(ctx, p, idParam(req.params), req.body) }) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/contacts', summary: 'List contacts', tags: ['people'], auth: 'staff', query: listContactsInput,
    handler: async (req, p) => ({ body: { data: await listContacts(ctx, p, req.query) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/contacts', idempotent: true, summary: 'Create a contact', tags: ['people'], auth: 'staff', body: contactInput,
    handler: async (req, p) => ({ status: 201, body: await createContact(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/contacts/:id', summary: 'Get a contact', tags: ['people'], auth: 'staff',
    handler: async (req, p) => ({ body: await getContact(ctx, p, idParam(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/contacts/:id', summary: 'Change a contact', tags: ['people'], auth: 'staff', body: contactPatchInput,
    handler: async (req, p) => ({ body: await updateContact(ctx, p, idParam(req.params), req.body) }) });

  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/lists', summary: 'Ticket types, priorities, tiers, statuses, stages, channels', tags: ['lists'], auth: 'none',
    handler: async () => ({ body: await getLists(ctx) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/lists/:list', idempotent: true, summary: 'Add an entry to an editable list', tags: ['lists'], auth: 'staff', body: listEntryInput,
    handler: async (req, p) => ({ status: 201, body: await addListEntry(ctx, p, z.object({ list: z.string() }).parse(req.params).list, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/lists/:list/:key', summary: 'Rename or move a list entry (keys are permanent)', tags: ['lists'], auth: 'staff', body: listEntryPatchInput,
    handler: async (req, p) => {
      const { list, key } = z.object({ list: z.string(), key: z.string().max(40) }).parse(req.params);
      return { body: await updateListEntry(ctx, p, list, key, req.body) };
    } });
}
