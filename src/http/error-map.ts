import type { ErrorCode } from '../core/errors.ts';

// The one place where domain error codes become HTTP statuses.
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
};

export type ErrorBody = { error: { code: ErrorCode | 'internal'; message: string; path?: string } };

export function errorBody(code: ErrorCode | 'internal', message: string, path?: string): ErrorBody {
  return { error: { code, message, ...(path ? { path } : {}) } };
}
