import type { z } from 'zod';
import { DomainError, type FieldError } from '../../core/errors.ts';

/** `a.b[0].c` — the field path format used in every error the API returns. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Deeper than any input Replyby takes (a calendar spec is five levels): refused before anything walks it. */
export const MAX_INPUT_DEPTH = 32;

type Step = { value: unknown; key: PropertyKey | null; parent: Step | null; depth: number };
const pathOf = (step: Step): PropertyKey[] => {
  const out: PropertyKey[] = [];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) out.unshift(s.key);
  return out;
};

/**
 * Where input must be refused before any schema sees it: a string holding a NUL character (PostgreSQL
 * text cannot store one, and no form or e-mail means one) or nesting deeper than MAX_INPUT_DEPTH.
 * Iterative with parent links, so a hostile document costs time linear in its size and no stack.
 */
export function findUnstorableInput(value: unknown): { path: PropertyKey[]; message: string } | null {
  const stack: Step[] = [{ value, key: null, parent: null, depth: 0 }];
  for (let step = stack.pop(); step; step = stack.pop()) {
    const v = step.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: pathOf(step), message: 'must not contain a NUL character' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (step.depth >= MAX_INPUT_DEPTH) return { path: pathOf(step), message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    // Pushed in reverse so the first offending field in document order is the one reported.
    const entries: [PropertyKey, unknown][] = Array.isArray(v) ? v.map((inner, i) => [i, inner]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, inner] = entries[i] as [PropertyKey, unknown];
      if (typeof key === 'string' && key.includes('\u0000')) return { path: [...pathOf(step), key], message: 'must not contain a NUL character' };
      stack.push({ value: inner, key, parent: step, depth: step.depth + 1 });
    }
  }
  return null;
}

type ZodIssue = z.core.$ZodIssue;

/** One zod issue as the API names it: each field's path (an unknown key points at the key itself) and a message. */
export function describeIssue(issue: ZodIssue, prefix?: string): FieldError[] {
  const at = (path: readonly PropertyKey[]) => [prefix, formatPath(path)].filter(Boolean).join('.') || 'body';
  // zod reports unknown keys on their parent object; point at each key itself.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not a known field' }));
  return [{ path: at(issue.path), message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message }];
}

/**
 * Parses input with a schema; every issue becomes an entry of one `invalid_input` error, so a form can
 * mark all its wrong fields at once (the first also stays in `path`/`message` for older clients).
 * NUL characters and deep nesting are refused once, at the HTTP boundary (http/define-route.ts),
 * which also sees path parameters, query strings and the routes that parse without a schema.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix?: string): z.infer<S> {
  // reportInput keeps each issue's input, so a missing field ("is required") differs from a wrong type.
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const errors: FieldError[] = [];
  for (const e of result.error.issues.flatMap((issue) => describeIssue(issue, prefix))) {
    // One entry per field: a union or a refinement can report the same path twice.
    if (!errors.some((x) => x.path === e.path)) errors.push(e);
  }
  const first = errors[0] ?? { path: prefix || 'body', message: 'invalid' };
  throw new DomainError('invalid_input', first.message, first.path, errors);
}
