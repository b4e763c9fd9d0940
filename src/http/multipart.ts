import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors.ts';

// multipart/form-data (RFC 7578) for the import upload: text fields and files, each part's content as
// UTF-8 text. Small and strict — @fastify/multipart is not installed; this reads the whole body (within
// the route's bodyLimit) and splits it at the boundary.

export type MultipartBody = Record<string, string>;

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw new DomainError('invalid_input', 'multipart body without a boundary', 'body');
  const delimiter = Buffer.from(`--${b}`);
  const out: MultipartBody = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new DomainError('invalid_input', 'multipart body without parts', 'body');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    // Skip the CRLF after the delimiter.
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new DomainError('invalid_input', 'a multipart part has no header end', 'body');
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw new DomainError('invalid_input', 'a multipart part is not closed by the boundary', 'body');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(head)?.[1];
    const filename = /content-disposition:[^\r\n]*\bfilename="([^"]*)"/i.exec(head)?.[1];
    if (name) {
      out[name] = body.subarray(headEnd + 4, next).toString('utf8');
      if (filename !== undefined && out[`${name}_name`] === undefined) out[`${name}_name`] = filename;
    }
    pos = next + 2;
  }
  return out;
}

/** Registers the parser: the route receives `{ field: text }` (a file's name as `<field>_name`). */
export function registerMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
