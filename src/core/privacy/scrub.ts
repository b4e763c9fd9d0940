/**
 * Erasing one person's words from stored text (issue 21 item 4, docs/security.md "Personal data"), pure.
 * The person's values — address, name and its parts, the subjects and lines they wrote — become terms; every
 * whole-word occurrence of a term in a text, case-insensitively, is replaced by `ERASED`.
 */
export const ERASED = '[erased]';

/** Shorter name parts and lines are not terms: "Al" or "ok" would erase other people's words. */
const MIN_PART = 3;
const MIN_LINE = 8;

export type ErasureSource = { email?: string | null; name?: string | null; texts?: readonly string[] };

/** The terms for one person: the address, the name, each name part of three letters or more, each line they wrote. */
export function erasureTerms(src: ErasureSource): string[] {
  const terms = new Set<string>();
  const add = (s: string | null | undefined, min: number) => {
    const v = (s ?? '').trim();
    if (v.length >= min && v !== ERASED) terms.add(v);
  };
  add(src.email, 3);
  if (src.email) add(src.email.split('@')[0], MIN_LINE);
  add(src.name, MIN_PART);
  for (const part of (src.name ?? '').split(/[\s,.]+/u)) add(part, MIN_PART);
  for (const text of src.texts ?? []) {
    add(text, MIN_PART);
    for (const line of text.split(/\r?\n/u)) add(line.replace(/^[>\s]+/u, ''), MIN_LINE);
  }
  // Longest first, so a whole line goes before a name inside it.
  return [...terms].sort((a, b) => b.length - a.length);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** One matcher for a set of terms (null when there is nothing to erase). */
export function erasureMatcher(terms: readonly string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

export function scrubText(text: string, matcher: RegExp | null): string {
  return matcher ? text.replace(matcher, ERASED) : text;
}

/** Staff replies quote the customer's mail as "> …" lines: those lines go whole. */
export function dropQuotedLines(text: string): string {
  const lines = text.split(/\r?\n/u);
  const kept = lines.filter((l) => !/^\s*>/u.test(l));
  return kept.length === lines.length ? text : kept.join('\n');
}

/** Every string in a JSON value scrubbed; object keys are kept (they are the payload's shape, not its data). */
export function scrubJson(value: unknown, matcher: RegExp | null): unknown {
  if (!matcher || value === null || value === undefined) return value;
  if (typeof value === 'string') return scrubText(value, matcher);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, matcher));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubJson(v, matcher);
    return out;
  }
  return value;
}
