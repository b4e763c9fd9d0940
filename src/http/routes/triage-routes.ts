import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { getStageReport } from '../../app/triage/get-stage-report.ts';
import { archiveArticle, listArchivedArticles, restoreArticle } from '../../app/triage/archive-kb-article.ts';
import { articleListInput, listKbArticles } from '../../app/triage/list-kb-articles.ts';
import { getClassifierStatus } from '../../app/triage/get-classifier-status.ts';
import {
  addDiagnosisField, diagnosisFieldInput, diagnosisFieldPatchInput, diagnosisInput, getTicketTriage, listDiagnosisFields, setDiagnosis, updateDiagnosisField,
} from '../../app/triage/manage-diagnosis.ts';
import {
  articleFromMessage, articleInput, articlePatchInput, categoryInput, categoryPatchInput, createArticle, createCategory, deleteCategory, fromMessageInput, getArticle,
  categoryListInput, getPublicArticle, listCategories, listPublicArticles, publicListInput, searchInput, searchKnowledgeBase, suggestArticles, suggestArticlesForTicket, suggestInput,
  updateArticle, updateCategory,
} from '../../app/triage/manage-kb.ts';
import { applyMacro, createMacro, deleteMacro, listMacros, listMacrosInput, macroInput, macroPatchInput, previewMacro, updateMacro } from '../../app/triage/manage-macros.ts';
import {
  createTrigger, deleteTrigger, getTrigger, listTriggers, reorderTriggers, reorderTriggersInput, triggerInput, triggerPatchInput, updateTrigger,
} from '../../app/triage/manage-triggers.ts';
import { trainClassifier } from '../../app/triage/train-classifier.ts';
import { getTriageSettings, triageSettingsInput, updateTriageSettings } from '../../app/triage/triage-settings.ts';
import { defineRoute } from '../define-route.ts';
import type { RouteOptions } from './auth-routes.ts';

const uuid = (params: unknown, key = 'id'): string => z.object({ [key]: z.string().uuid('must be a UUID') }).parse(params)[key] as string;
const fieldKey = (params: unknown): string => z.object({ key: z.string().min(1).max(64) }).parse(params).key;
const ref = (params: unknown): string => z.object({ ref: z.string().min(1).max(64) }).parse(params).ref;

/** Triggers, classifier, stages, diagnosis, macros and the knowledge base (issue 9, triage part). */
export function triageRoutes(app: FastifyInstance, ctx: AppContext, opts: RouteOptions): void {
  const tags = ['triage'];
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/triggers', summary: 'List triggers in evaluation order', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listTriggers(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/triggers', idempotent: true, summary: 'Create a trigger', tags, auth: 'staff', body: triggerInput,
    handler: async (req, p) => ({ status: 201, body: await createTrigger(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PUT', url: '/api/v1/triggers/order', summary: 'Set the evaluation order (all trigger ids)', tags, auth: 'staff', body: reorderTriggersInput,
    handler: async (req, p) => ({ body: { data: await reorderTriggers(ctx, p, req.body) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/triggers/:id', summary: 'Get a trigger', tags, auth: 'staff',
    handler: async (req, p) => ({ body: await getTrigger(ctx, p, uuid(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/triggers/:id', summary: 'Change a trigger', tags, auth: 'staff', body: triggerPatchInput,
    handler: async (req, p) => ({ body: await updateTrigger(ctx, p, uuid(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/triggers/:id', summary: 'Delete a trigger', tags, auth: 'staff',
    handler: async (req, p) => { await deleteTrigger(ctx, p, uuid(req.params)); } });

  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/triage/classifier/train', summary: 'Retrain the type and urgency classifier on resolved tickets', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: await trainClassifier(ctx, p) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/triage/classifier', summary: 'The live type and priority models: examples and when each was trained', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: await getClassifierStatus(ctx, p) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/triage/settings', summary: 'Classifier threshold and repeat-contact window', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: await getTriageSettings(ctx, p) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/triage/settings', summary: 'Change triage settings', tags, auth: 'staff', body: triageSettingsInput,
    handler: async (req, p) => ({ body: await updateTriageSettings(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/reports/stages', summary: 'Tickets per lifecycle stage and time spent in each', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: await getStageReport(ctx, p) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/triage', summary: 'Language, classifier suggestion, repeat contact, stage and diagnosis of a ticket', tags, auth: 'staff',
    handler: async (req, p) => ({ body: await getTicketTriage(ctx, p, ref(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/tickets/:ref/diagnosis', summary: 'Set diagnosis fields (null clears)', tags, auth: 'staff', body: diagnosisInput,
    handler: async (req, p) => ({ body: { diagnosis: await setDiagnosis(ctx, p, ref(req.params), req.body) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/diagnosis-fields', summary: 'Diagnosis fields', tags, auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listDiagnosisFields(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/diagnosis-fields', idempotent: true, summary: 'Add a diagnosis field (admin)', tags, auth: 'staff', body: diagnosisFieldInput,
    handler: async (req, p) => ({ status: 201, body: await addDiagnosisField(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/diagnosis-fields/:key', summary: 'Rename, change the options of, retire (active false) or restore a diagnosis field (admin); stored values stay', tags, auth: 'staff', body: diagnosisFieldPatchInput,
    handler: async (req, p) => ({ body: await updateDiagnosisField(ctx, p, fieldKey(req.params), req.body) }) });

  const macroTags = ['macros'];
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/macros', summary: 'Shared and own macros (search with q, filter by language)', tags: macroTags, auth: 'staff', query: listMacrosInput,
    handler: async (req, p) => ({ body: { data: await listMacros(ctx, p, req.query) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/macros', idempotent: true, summary: 'Create a macro', tags: macroTags, auth: 'staff', body: macroInput,
    handler: async (req, p) => ({ status: 201, body: await createMacro(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/macros/:id', summary: 'Change a macro', tags: macroTags, auth: 'staff', body: macroPatchInput,
    handler: async (req, p) => ({ body: await updateMacro(ctx, p, uuid(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/macros/:id', summary: 'Delete a macro', tags: macroTags, auth: 'staff',
    handler: async (req, p) => { await deleteMacro(ctx, p, uuid(req.params)); } });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/macros/:id/apply', summary: 'Apply a macro: set its fields, return the rendered reply text', tags: macroTags, auth: 'staff',
    handler: async (req, p) => ({ body: await applyMacro(ctx, p, ref(req.params), uuid(req.params)) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/macros/:id/preview', summary: 'Preview a macro on a ticket: the rendered text and the fields it would set (nothing changes)', tags: macroTags, auth: 'staff',
    handler: async (req, p) => ({ body: await previewMacro(ctx, p, ref(req.params), uuid(req.params)) }) });

  const kbTags = ['knowledge base'];
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/kb/categories', summary: 'Knowledge-base categories; with ?language= each has its display_name in that language (the default name when untranslated)', tags: kbTags, auth: 'none', query: categoryListInput,
    handler: async (req) => ({ body: { data: await listCategories(ctx, req.query) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/kb/categories', idempotent: true, summary: 'Create a category', tags: kbTags, auth: 'staff', body: categoryInput,
    handler: async (req, p) => ({ status: 201, body: await createCategory(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/kb/categories/:id', summary: 'Rename or move a category', tags: kbTags, auth: 'staff', body: categoryPatchInput,
    handler: async (req, p) => ({ body: await updateCategory(ctx, p, uuid(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'DELETE', url: '/api/v1/kb/categories/:id', summary: 'Delete an empty category (409 while it holds articles)', tags: kbTags, auth: 'staff',
    handler: async (req, p) => { await deleteCategory(ctx, p, uuid(req.params)); } });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/kb/archived', summary: 'Archived articles, newest first', tags: kbTags, auth: 'staff',
    handler: async (_req, p) => ({ body: { data: await listArchivedArticles(ctx, p) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/kb/articles/:id/archive', summary: 'Archive an article (an original with its translations)', tags: kbTags, auth: 'staff',
    handler: async (req, p) => ({ body: await archiveArticle(ctx, p, uuid(req.params)) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/kb/articles/:id/restore', summary: 'Restore an archived article (an original with the translations archived with it)', tags: kbTags, auth: 'staff',
    handler: async (req, p) => ({ body: await restoreArticle(ctx, p, uuid(req.params)) }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/kb/articles', idempotent: true, summary: 'Create an article (or a translation: original_id)', tags: kbTags, auth: 'staff', body: articleInput,
    handler: async (req, p) => ({ status: 201, body: await createArticle(ctx, p, req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/kb/articles', summary: 'Articles a page at a time, newest change first, by category (or "none"), language, status and archived', tags: kbTags, auth: 'staff', query: articleListInput,
    handler: async (req, p) => ({ body: await listKbArticles(ctx, p, req.query) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/kb/search', summary: 'Search all articles (drafts and internal included)', tags: kbTags, auth: 'staff', query: searchInput,
    handler: async (req, p) => ({ body: { data: await searchKnowledgeBase(ctx, p, req.query) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/kb/articles/:id', summary: 'Get an article with its translations', tags: kbTags, auth: 'staff',
    handler: async (req, p) => ({ body: await getArticle(ctx, p, uuid(req.params)) }) });
  defineRoute(app, ctx, { method: 'PATCH', url: '/api/v1/kb/articles/:id', summary: 'Change an article', tags: kbTags, auth: 'staff', body: articlePatchInput,
    handler: async (req, p) => ({ body: await updateArticle(ctx, p, uuid(req.params), req.body) }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/tickets/:ref/kb-suggestions', summary: 'Up to three articles for the reply box', tags: kbTags, auth: 'staff',
    handler: async (req, p) => ({ body: { data: await suggestArticlesForTicket(ctx, p, ref(req.params)) } }) });
  defineRoute(app, ctx, { method: 'POST', url: '/api/v1/tickets/:ref/kb-articles', idempotent: true, summary: 'Turn a message of the ticket into a draft article', tags: kbTags, auth: 'staff', body: fromMessageInput,
    handler: async (req, p) => ({ status: 201, body: await articleFromMessage(ctx, p, ref(req.params), req.body) }) });

  // The help centre: public, published articles only.
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/help/articles', summary: 'Published articles', tags: kbTags, auth: 'none', query: publicListInput,
    handler: async (req) => ({ body: { data: await listPublicArticles(ctx, req.query) } }) });
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/help/articles/:id', summary: 'A published article', tags: kbTags, auth: 'none',
    handler: async (req) => ({ body: await getPublicArticle(ctx, uuid(req.params)) }) });
  // Called as the customer types (debounced by the form), so it allows several times the form's own rate.
  defineRoute(app, ctx, { method: 'GET', url: '/api/v1/help/suggest', summary: 'Up to three published articles for what the customer is typing', tags: kbTags, auth: 'none', query: suggestInput,
    rateLimit: { max: opts.publicPerMinute * 6, timeWindow: '1 minute' },
    handler: async (req) => ({ body: { data: await suggestArticles(ctx, req.query) } }) });
}
