import { z } from 'zod';

// What a trigger can send (review 2026-12-07, item 26): an e-mail to the requester, the assignee or the
// group's members, written by the admin with placeholders (one text per language; the reader's language is
// picked, English or the first text otherwise), and a webhook call.

export const TRIGGER_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type TriggerLanguage = (typeof TRIGGER_LANGUAGES)[number];

export const TRIGGER_PLACEHOLDERS = [
  'ticket.ref', 'ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.type', 'ticket.url',
  'requester.name', 'requester.email', 'assignee.name', 'group.name', 'trigger.name',
] as const;
export type TriggerValues = Partial<Record<(typeof TRIGGER_PLACEHOLDERS)[number], string | null>>;

const PLACEHOLDER = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/g;

/** Placeholders the text names that no mail can fill (a typo is refused when saved, not sent blank). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !(TRIGGER_PLACEHOLDERS as readonly string[]).includes(name));
}

const withKnownPlaceholders = (max: number) => z.string().trim().min(1, 'is required').max(max).superRefine((s, ctx) => {
  const unknown = unknownPlaceholders(s);
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; use ${TRIGGER_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` });
});

export const triggerTextSchema = z.object({
  language: z.enum(TRIGGER_LANGUAGES),
  subject: withKnownPlaceholders(200),
  body: withKnownPlaceholders(10_000),
}).strict();
export type TriggerText = z.infer<typeof triggerTextSchema>;

/** One text per language, at least one. */
export const triggerEmailSchema = z.object({
  texts: z.array(triggerTextSchema).min(1).max(TRIGGER_LANGUAGES.length).superRefine((texts, ctx) => {
    const seen = new Set<string>();
    texts.forEach((t, i) => {
      if (seen.has(t.language)) ctx.addIssue({ code: 'custom', path: [i, 'language'], message: 'has a text already' });
      seen.add(t.language);
    });
  }),
}).strict();
export type TriggerEmail = z.infer<typeof triggerEmailSchema>;

export const EMAIL_TARGETS = ['requester', 'assignee', 'group'] as const;
export type EmailTarget = (typeof EMAIL_TARGETS)[number];

/** What a firing rule sends, in the order written. */
export type TriggerSend = { kind: 'email'; to: EmailTarget; email: TriggerEmail } | { kind: 'webhook'; webhookId: string };

/** The reader's language's text, else English, else the first. */
export function pickText(email: TriggerEmail, language: string | null | undefined): TriggerText {
  const base = (language ?? '').toLowerCase().split(/[-_]/)[0];
  const [first] = email.texts;
  if (!first) throw new Error('a trigger e-mail has at least one text');
  return email.texts.find((t) => t.language === base) ?? email.texts.find((t) => t.language === 'en') ?? first;
}

export function renderTriggerText(text: string, values: TriggerValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(TRIGGER_PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    return values[name as keyof TriggerValues] ?? '';
  });
}
