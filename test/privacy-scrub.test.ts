import { describe, expect, it } from 'vitest';
import { retentionCutoffs } from '../src/core/privacy/retention.ts';
import { dropQuotedLines, ERASED, erasureMatcher, erasureTerms, scrubJson, scrubText } from '../src/core/privacy/scrub.ts';

// The pure parts of erasure (docs/security.md "Personal data"): which words are the person's, and where they go.

describe('erasure terms and scrubbing', () => {
  const m = erasureMatcher(erasureTerms({ email: 'ana.ivanova@example.com', name: 'Ana Ivanova', texts: ['Моят код е 4471-AX.\n> quoted from someone\nok'] }));

  it('replaces the address, the name and its parts, and the lines they wrote, whole words only, in each alphabet', () => {
    expect(scrubText('Hi Ana, write to ana.ivanova@example.com (IVANOVA).', m)).toBe(`Hi ${ERASED}, write to ${ERASED} (${ERASED}).`);
    expect(scrubText('Banana and Anastasia stay', m)).toBe('Banana and Anastasia stay');
    expect(scrubText('Клиентът писа: Моят код е 4471-AX.', m)).toBe(`Клиентът писа: ${ERASED}`);
    // Short lines ("ok") and two-letter name parts are no terms: they would erase other people's words.
    expect(scrubText('ok, we fix it', m)).toBe('ok, we fix it');
  });

  it('walks JSON values but keeps keys, and drops quoted lines', () => {
    expect(scrubJson({ Ana: ['Ana wrote', 3, null, { to: 'ana.ivanova@example.com' }] }, m)).toEqual({ Ana: [`${ERASED} wrote`, 3, null, { to: ERASED }] });
    expect(dropQuotedLines('Thanks!\n> old text\n  > more\nBye')).toBe('Thanks!\nBye');
    expect(scrubText('text', erasureMatcher([]))).toBe('text');
  });

  it('escapes regular-expression characters in terms', () => {
    const odd = erasureMatcher(erasureTerms({ email: null, name: 'J. (Bob) O\'Neil-Smith [x]', texts: ['price is $5+tax? yes*'] }));
    expect(scrubText('price is $5+tax? yes* said O\'Neil-Smith', odd)).toBe(`${ERASED} said ${ERASED}`);
  });
});

describe('retention cutoffs', () => {
  it('goes back calendar months in UTC, per type and otherwise; off means nothing is due', () => {
    const now = new Date('2026-03-31T12:00:00Z');
    expect(retentionCutoffs(now, { enabled: true, months: 12, per_type: { quote: 1 } })).toEqual({
      perType: [{ type: 'quote', before: new Date('2026-02-28T12:00:00Z') }],
      otherwise: new Date('2025-03-31T12:00:00Z'),
    });
    expect(retentionCutoffs(now, { enabled: true, months: null, per_type: {} })).toEqual({ perType: [], otherwise: null });
    expect(retentionCutoffs(now, { enabled: false, months: 1, per_type: { quote: 1 } })).toEqual({ perType: [], otherwise: null });
  });
});
