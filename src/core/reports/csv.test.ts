import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../import/csv.ts';
import { toCsv } from './csv.ts';

describe('CSV out', () => {
  it('quotes what needs quoting and reads back through the importer', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s)), { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
      const back = parseCsv(toCsv(['a', 'b'], rows));
      expect(back.problems).toEqual([]);
      expect(back.records.map((r) => r.cells)).toEqual(rows);
    }));
  });

  it('defuses formulas, keeps numbers and dates plain', () => {
    expect(toCsv(['v'], [['=HYPERLINK("http://x")'], ['+1'], ['@SUM(A1)'], [-5], [1.5], [new Date('2026-01-02T03:04:05Z')], [null]]))
      .toBe('v\r\n"\'=HYPERLINK(""http://x"")"\r\n\'+1\r\n\'@SUM(A1)\r\n-5\r\n1.5\r\n2026-01-02T03:04:05.000Z\r\n\r\n');
  });
});
