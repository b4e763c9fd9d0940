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

/** Parses input with a schema; the first issue becomes an `invalid_input` error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(data);
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
