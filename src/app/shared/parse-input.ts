import type { z } from 'zod';
import { DomainError } from '../../core/errors.ts';

/** `a.b[0].c` — the field path format used in every error the API returns. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * The path of the first string holding a NUL character, or null. PostgreSQL text cannot store NUL, and
 * no form or e-mail means one, so such input is refused up front rather than failing half-way in SQL.
 */
export function findNulString(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findNulString(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, key];
      const found = findNulString(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses input with a schema; the first issue becomes an `invalid_input` error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix?: string): z.infer<S> {
  const nul = findNulString(data);
  if (nul) throw new DomainError('invalid_input', 'must not contain a NUL character', [prefix, formatPath(nul)].filter(Boolean).join('.') || 'body');
  // reportInput keeps each issue's input, so a missing field ("is required") differs from a wrong type.
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // zod reports an unknown key on its parent object; point at the key itself.
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const inner = issue ? formatPath(unknownKey === undefined ? issue.path : [...issue.path, unknownKey]) : '';
  const path = [prefix, inner].filter(Boolean).join('.') || 'body';
  const message = unknownKey !== undefined ? 'is not a known field'
    : issue?.code === 'invalid_type' && issue.input === undefined ? 'is required' : (issue?.message ?? 'invalid');
  throw new DomainError('invalid_input', message, path);
}
