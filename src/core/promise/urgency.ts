// Urgency is the customer's own statement of how pressing a request is, separate from its type.
// Words in the request can only SUGGEST a higher urgency for triage: a customer's phrasing never
// changes the promise by itself.

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export function isUrgency(v: unknown): v is Urgency {
  return typeof v === 'string' && (URGENCIES as readonly string[]).includes(v);
}

// Whole words in en, ru, bg (Cyrillic stems with endings) and zh (no word boundaries in Chinese).
const CRITICAL: readonly RegExp[] = [
  /\b(outage|emergency|down for everyone|production (is )?down)\b/iu,
  /(^|[^\p{L}])(авари[яйию]|авария)([^\p{L}]|$)/iu,
  /(紧急|緊急|宕机|停机)/u,
];
const HIGH: readonly RegExp[] = [
  /\b(urgent(ly)?|asap|as soon as possible|immediately)\b/iu,
  /(^|[^\p{L}])(срочно|срочн\p{L}*|спешно|спешн\p{L}*|немедленно)([^\p{L}]|$)/iu,
  /(急|尽快|马上|立即)/u,
];

/**
 * The urgency the words of a request suggest, or null when they suggest nothing above what the
 * customer stated. Pure and small on purpose: triage's rules engine may call it or replace it.
 */
export function suggestUrgency(text: string, stated: Urgency = 'normal'): Urgency | null {
  const suggested: Urgency | null = CRITICAL.some((r) => r.test(text)) ? 'critical' : HIGH.some((r) => r.test(text)) ? 'high' : null;
  if (suggested === null) return null;
  return URGENCIES.indexOf(suggested) > URGENCIES.indexOf(stated) ? suggested : null;
}
