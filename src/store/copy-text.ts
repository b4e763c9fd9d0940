import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

// A statement's one text column streamed by PostgreSQL's `COPY (SELECT …) TO STDOUT` (pg-copy-streams), for an export
// whose rows are built in SQL (docs/export.md): no row objects, no parsing in node, and backpressure from the reader
// down to the socket (the stream pauses the connection when it is not read).
//
// The binary format, because it carries each value's bytes as they are: the text format would escape the
// backslashes and line breaks a JSON or CSV line holds, and the CSV format would quote them. Its framing is simple
// enough to strip here (postgresql.org/docs/current/sql-copy.html, "Binary Format"): an 11-byte signature, a 4-byte
// flags field and a 4-byte header-extension length; then per row a 2-byte field count (-1 ends the data), per field a
// 4-byte length (-1 is NULL) and the bytes.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * COPY takes no bind parameters: `$n` becomes the n-th value as a quoted literal (node-postgres' escapeLiteral; a Date
 * as its ISO text, null as NULL). The values are the caller's already-validated query, never SQL.
 */
export function inlineParams(sql: string, params: readonly unknown[], escapeLiteral: (s: string) => string): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (v === undefined) throw new Error(`COPY statement: no value for $${n}`);
    if (v === null) return 'NULL';
    if (v instanceof Date) return escapeLiteral(v.toISOString());
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string') return escapeLiteral(v);
    throw new Error(`COPY statement: $${n} is not a string, number, date or null`);
  });
}

/** Strips the binary COPY framing from a stream of chunks; yields the rows' single column values, concatenated per chunk. */
export async function* copyBinaryText(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let buf: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let ended = false;
  for await (const chunk of chunks) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let at = 0;
    if (!headerDone) {
      if (buf.length < 19) continue;
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('COPY: not the binary format');
      at = 19 + buf.readUInt32BE(15);
      if (buf.length < at) continue;
      headerDone = true;
    }
    const out: Buffer[] = [];
    while (!ended && buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        ended = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`COPY: a row of ${fields} columns, expected one`);
      if (buf.length - at < 6) break;
      const len = buf.readInt32BE(at + 2);
      const size = len < 0 ? 0 : len;
      if (buf.length - at - 6 < size) break;
      if (size > 0) out.push(buf.subarray(at + 6, at + 6 + size));
      at += 6 + size;
    }
    buf = buf.subarray(at);
    if (out.length === 1 && out[0]) yield out[0];
    else if (out.length > 1) yield Buffer.concat(out);
  }
  if (!ended) throw new Error('COPY: the data ended before its trailer');
}

/**
 * Runs `COPY (sql) TO STDOUT (FORMAT binary)` on a pooled connection and yields the column's bytes. The connection goes
 * back to the pool when the copy ends; a reader that stops early (a client gone) destroys it, since it is mid-COPY.
 */
export async function* copyText(pool: pg.Pool, sql: string, params: readonly unknown[]): AsyncGenerator<Buffer> {
  const client = await pool.connect();
  const text = inlineParams(sql, params, (s) => client.escapeLiteral(s));
  let failure: Error | undefined;
  let complete = false;
  try {
    // Without JIT: such a statement's row-by-row text building has a high estimated cost, so PostgreSQL would spend
    // ≈ 2 s compiling it (EXPLAIN ANALYZE at 100,000 tickets) for nothing it runs faster.
    await client.query('SET jit = off');
    const stream = client.query(copyTo(`COPY (${text}) TO STDOUT (FORMAT binary)`));
    yield* copyBinaryText(stream as AsyncIterable<Buffer>);
    await client.query('RESET jit');
    complete = true;
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    // Released with an error (the connection closed) unless the COPY ran to its end.
    client.release(complete ? undefined : (failure ?? new Error('COPY stopped by its reader')));
  }
}
