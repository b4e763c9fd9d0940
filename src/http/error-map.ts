import type { ErrorCode, FieldError } from '../core/errors.ts';

// The one place where domain error codes become HTTP statuses.
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  // Not the client's fault and not a crash: the service is deliberately unavailable for writes for now.
  read_only: 503,
  unavailable: 503,
};

/**
 * `path`/`message` name the first problem (the shape clients have always read); `errors` lists every
 * field's problem, so a form can mark them all at once. Present whenever a field is to blame.
 */
export type ErrorBody = { error: { code: ErrorCode | 'internal'; message: string; path?: string; errors?: FieldError[] } };

export function errorBody(code: ErrorCode | 'internal', message: string, path?: string, errors?: readonly FieldError[]): ErrorBody {
  // "" is a path too: the document itself (the simulator contract always names one).
  const list = errors?.length ? [...errors] : path !== undefined ? [{ path, message: message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message }] : undefined;
  return { error: { code, message, ...(path !== undefined ? { path } : {}), ...(list ? { errors: list } : {}) } };
}

/**
 * A database refusal that escaped the use cases' own checks (a race on a unique key, a value out of a
 * column's range) is the client's problem, not a server fault: map SQLSTATE classes to statuses.
 * Both node-postgres and PGlite errors carry the five-character SQLSTATE as `code`.
 */
export function databaseErrorStatus(err: unknown): { status: number; body: ErrorBody } | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  // Raised by the archived-ticket triggers (migration 0011): the message names the ticket and the reason.
  if (code === 'RB409') return { status: 409, body: errorBody('conflict', err instanceof Error ? err.message : 'the ticket is archived and read-only') };
  if (code.startsWith('22')) return { status: 400, body: errorBody('invalid_input', 'a value is malformed or out of range') };
  if (code === '23505') return { status: 409, body: errorBody('conflict', 'a record with this value already exists') };
  if (code === '23503') return { status: 409, body: errorBody('conflict', 'a referenced record does not exist or is still in use') };
  if (code.startsWith('23')) return { status: 422, body: errorBody('unprocessable', 'the change breaks a rule of the data') };
  if (code === '40001' || code === '40P01') return { status: 409, body: errorBody('conflict', 'the change collided with another one; try again') };
  return null;
}
