import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, notFound, type FieldError } from '../../core/errors.ts';
import { CUSTOMER_LANGUAGES, type CustomerLanguage } from '../../core/email/language.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, unknownPlaceholders, type Template, type TemplateKey } from '../../core/email/templates.ts';
import type { Queryable } from '../../store/db.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { announceConfigChange, cachedConfig, forgetCachedConfig } from '../shared/config-cache.ts';
import { recordAudit } from '../shared/audit.ts';

export const templateParams = z.object({ key: z.enum(TEMPLATE_KEYS), language: z.enum(CUSTOMER_LANGUAGES) });
export const templateInput = z.object({
  subject: z.string().trim().min(1, 'is required').max(300),
  body: z.string().trim().min(1, 'is required').max(20_000),
});

export type TemplateView = Template & { key: TemplateKey; language: CustomerLanguage; customized: boolean; updated_at: Date | null };

/** The template in force: the admin's edit if any, else the default in code. */
export async function loadTemplate(q: Queryable, key: TemplateKey, language: CustomerLanguage): Promise<TemplateView> {
  const [row] = await q.query<{ subject: string; body: string; updated_at: Date }>('SELECT subject, body, updated_at FROM mail_templates WHERE key = $1 AND language = $2', [key, language]);
  if (row) return { key, language, subject: row.subject, body: row.body, customized: true, updated_at: row.updated_at };
  return { key, language, ...DEFAULT_TEMPLATES[key][language], customized: false, updated_at: null };
}

/**
 * loadTemplate from this process's copy of every customized template (config-cache.ts: dropped by the NOTIFY
 * that putTemplate and resetTemplate send): the acknowledgement reads one for every new ticket.
 */
export async function cachedTemplate(ctx: AppContext, key: TemplateKey, language: CustomerLanguage): Promise<TemplateView> {
  const all = await cachedConfig(ctx.db, 'mail_templates', () =>
    ctx.db.query<{ key: string; language: string; subject: string; body: string; updated_at: Date }>('SELECT key, language, subject, body, updated_at FROM mail_templates'));
  const row = all.find((r) => r.key === key && r.language === language);
  if (row) return { key, language, subject: row.subject, body: row.body, customized: true, updated_at: row.updated_at };
  return { key, language, ...DEFAULT_TEMPLATES[key][language], customized: false, updated_at: null };
}

export async function listTemplates(ctx: AppContext, actor: Principal): Promise<TemplateView[]> {
  requireStaff(actor, MANAGERS);
  const out: TemplateView[] = [];
  for (const key of TEMPLATE_KEYS) for (const language of CUSTOMER_LANGUAGES) out.push(await loadTemplate(ctx.db, key, language));
  return out;
}

export async function getTemplate(ctx: AppContext, actor: Principal, params: unknown): Promise<TemplateView> {
  requireStaff(actor, MANAGERS);
  const { key, language } = parseInput(templateParams, params);
  return loadTemplate(ctx.db, key, language);
}

export async function putTemplate(ctx: AppContext, actor: Principal, params: unknown, raw: unknown): Promise<TemplateView> {
  const staff = requireStaff(actor, ['admin']);
  const { key, language } = parseInput(templateParams, params);
  const input = parseInput(templateInput, raw);
  assertKnownPlaceholders(input, key);
  await ctx.db.transaction(async (tx) => {
    const before = await loadTemplate(tx, key, language);
    await tx.query(
      `INSERT INTO mail_templates (key, language, subject, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key, language) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [key, language, input.subject, input.body, ctx.now(), staff.id]);
    await recordAudit(tx, actor, { action: 'update', target: 'template', targetId: `${key}/${language}`, before, after: await loadTemplate(tx, key, language) }, ctx.now());
    await announceConfigChange(tx, 'mail_templates');
  });
  forgetCachedConfig(ctx.db);
  return loadTemplate(ctx.db, key, language);
}

/**
 * Every field's unknown placeholders at once (subject and body), so the editor marks both fields in one go;
 * the preview and the save refuse the same things.
 */
export function assertKnownPlaceholders(input: Template, key: TemplateKey): void {
  const errors: FieldError[] = [];
  for (const field of ['subject', 'body'] as const) {
    const unknown = unknownPlaceholders(input[field], key);
    if (unknown.length) errors.push({ path: field, message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}` });
  }
  const [first] = errors;
  if (first) throw new DomainError('invalid_input', first.message, first.path, errors);
}

/** Back to the default in code. */
export async function resetTemplate(ctx: AppContext, actor: Principal, params: unknown): Promise<TemplateView> {
  requireStaff(actor, ['admin']);
  const { key, language } = parseInput(templateParams, params);
  const rows = await ctx.db.transaction(async (tx) => {
    const before = await loadTemplate(tx, key, language);
    const deleted = await tx.query('DELETE FROM mail_templates WHERE key = $1 AND language = $2 RETURNING key', [key, language]);
    if (deleted.length) await recordAudit(tx, actor, { action: 'delete', target: 'template', targetId: `${key}/${language}`, before, after: await loadTemplate(tx, key, language) }, ctx.now());
    await announceConfigChange(tx, 'mail_templates');
    return deleted;
  });
  forgetCachedConfig(ctx.db);
  if (rows.length === 0) throw notFound('customized template');
  return loadTemplate(ctx.db, key, language);
}
