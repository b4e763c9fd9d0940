import { describe, expect, it } from 'vitest';
import { copyBinaryText, inlineParams } from '../src/store/copy-text.ts';

// store/copy-text.ts without a server: the binary COPY framing stripped whatever the chunk boundaries (the socket
// splits rows, headers and lengths anywhere), and COPY's parameters written as literals. test/pg/export-copy.test.ts
// runs it against PostgreSQL.

function frame(rows: (string | null)[], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4)];
  const ext = Buffer.alloc(4);
  ext.writeUInt32BE(extension.length);
  parts.push(ext, extension);
  for (const r of rows) {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1);
    const bytes = r === null ? Buffer.alloc(0) : Buffer.from(r, 'utf8');
    head.writeInt32BE(r === null ? -1 : bytes.length, 2);
    parts.push(head, bytes);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

async function decode(data: Buffer, cut: (i: number) => boolean): Promise<string> {
  async function* chunks() {
    let start = 0;
    for (let i = 1; i <= data.length; i++) {
      if (i === data.length || cut(i)) {
        yield data.subarray(start, i);
        start = i;
      }
    }
  }
  const out: Buffer[] = [];
  for await (const b of copyBinaryText(chunks())) out.push(b);
  return Buffer.concat(out).toString('utf8');
}

describe('copyBinaryText', () => {
  const rows = ['{"a":"line\\nbreak"}\n', null, '', 'x,"y"\r\n', 'ünï 中文 😀\n'];
  const expected = rows.map((r) => r ?? '').join('');

  it('yields the rows\' values concatenated, NULL and empty as nothing, for every chunk boundary', async () => {
    const data = frame(rows, Buffer.from('ext'));
    expect(await decode(data, () => false)).toBe(expected);
    expect(await decode(data, () => true)).toBe(expected); // one byte at a time
    for (let step = 2; step < 12; step++) expect(await decode(data, (i) => i % step === 0)).toBe(expected);
  });

  it('refuses what is not one-column binary COPY, and data cut before its trailer', async () => {
    await expect(decode(Buffer.from('not a copy at all, long enough'), () => false)).rejects.toThrow(/binary format/);
    const two = frame(['a']);
    two.writeInt16BE(2, 19);
    await expect(decode(two, () => false)).rejects.toThrow(/2 columns/);
    const data = frame(rows);
    await expect(decode(data.subarray(0, data.length - 2), () => false)).rejects.toThrow(/trailer/);
  });
});

describe('inlineParams', () => {
  const esc = (s: string) => `'${s.replace(/'/g, "''")}'`;
  it('writes each $n as a literal: strings quoted, dates as ISO text, null as NULL, $1 not taken for $10', () => {
    const params = ['it\'s', new Date('2025-03-10T08:00:00Z'), null, 4, 'e', 'f', 'g', 'h', 'i', 'ten'];
    expect(inlineParams('SELECT $1, $2::timestamptz, $3::text, $4, $10', params, esc))
      .toBe(`SELECT 'it''s', '2025-03-10T08:00:00.000Z'::timestamptz, NULL::text, 4, 'ten'`);
  });
  it('refuses a missing value or one of another type', () => {
    expect(() => inlineParams('SELECT $2', ['a'], esc)).toThrow(/no value for \$2/);
    expect(() => inlineParams('SELECT $1', [{ a: 1 }], esc)).toThrow(/\$1 is not/);
  });
});
