import type { FastifyReply } from 'fastify';

/** A report answers JSON, or CSV as a download when the use case returned `{ csv }` (format=csv). */
export function csvOrJson<T extends object>(reply: FastifyReply, result: T | { csv: string }, filename: string): { body: unknown } {
  if ('csv' in result && typeof result.csv === 'string') {
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`);
    return { body: result.csv };
  }
  return { body: result };
}
