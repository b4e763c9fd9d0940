// Result type and field paths shared by the input validators.

import type { z } from 'zod';

export type PathSegment = string | number;
export type ParseFailure = { ok: false; path: string; message: string };
export type ParseSuccess<T> = { ok: true; value: T };
export type ParseResult<T> = ParseSuccess<T> | ParseFailure;

/** `['events', 3, 'at']` → `events[3].at`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    return acc === '' ? s : `${acc}.${s}`;
  }, '');
}

/** The message names its path too, so it can be shown on its own (stderr, HTTP `message`). */
export function failure(path: readonly PathSegment[] | string, detail: string): ParseFailure {
  const p = typeof path === 'string' ? path : formatPath(path);
  return { ok: false, path: p, message: `${p === '' ? 'input' : p}: ${detail}` };
}

export function firstIssue<T>(schema: z.ZodType<T>, value: unknown, base: readonly PathSegment[]): ParseResult<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  if (issue === undefined) return failure(base, 'invalid');
  const path = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
  // zod reports an unknown key on its parent object; point at the key itself.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (unknownKey !== undefined) return failure([...base, ...path, unknownKey], 'unknown key');
  return failure([...base, ...path], issue.message);
}

