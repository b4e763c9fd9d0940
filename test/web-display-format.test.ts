import { readFileSync } from 'node:fs';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { formatDurationIn, formatInstant } from '../web/src/lib/format.ts';
import { slaEventText } from '../web/src/app/sla-event-text.ts';

// Review 2026-12-07 items 17 and 18: one date-time shape per locale, localised durations, and the SLA monitor's
// timeline entries as sentences with the due time in the reader's zone (never raw UTC).

const NOW = Date.parse('2026-12-07T12:00:00Z');
const LOCALES = { en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN', bg: 'bg-BG' } as const;

function translator(lang: string): (key: string, opts?: Record<string, unknown>) => string {
  const ns = ['common', 'workspace', 'events', 'display'];
  const resources = { [lang]: Object.fromEntries(ns.map((n) => [n, JSON.parse(readFileSync(new URL(`../web/src/locales/${lang}/${n}.json`, import.meta.url), 'utf8'))])) };
  const i18n = createInstance();
  void i18n.init({ lng: lang, resources, ns, defaultNS: 'workspace', initAsync: false, interpolation: { escapeValue: false } });
  return (key, opts) => i18n.t(key, opts ?? {});
}

describe('one date-time shape per locale', () => {
  const at = '2026-12-09T01:15:00Z';
  const expected = {
    en: ['Wed', '9', 'Dec', '03:15'],
    ru: ['ср', '9', 'дек', '03:15'],
    zh: ['12月9日', '周三', '03:15'],
    bg: ['ср', '9', 'декември', '03:15'],
  };
  for (const [lang, locale] of Object.entries(LOCALES)) {
    it(`${lang}: weekday, day, month by name, 24-hour time, the zone named; this year's year left out`, () => {
      const text = formatInstant(at, { locale, timeZone: 'Europe/Sofia', now: NOW });
      for (const part of expected[lang as keyof typeof expected]) expect(text).toContain(part);
      expect(text).not.toMatch(/2026|AM|PM/);
      expect(text).toMatch(/GMT|Гринуич|EET/);
      // another year carries its year
      expect(formatInstant('2025-03-01T10:00:00Z', { locale, timeZone: 'Europe/Sofia', now: NOW })).toContain('2025');
    });
  }
  it('a time today drops only the date, in the same shape', () => {
    const full = formatInstant('2026-12-07T14:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Sofia', now: NOW });
    const short = formatInstant('2026-12-07T14:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Sofia', now: NOW, part: 'time' });
    expect(full.endsWith(short)).toBe(true);
    expect(short).toBe('16:30 EET');
  });
  it('an unknown zone falls back instead of throwing', () => {
    expect(formatInstant('2026-12-07T14:30:00Z', { locale: 'en-GB', timeZone: 'Not/AZone', now: NOW })).toMatch(/7 Dec/);
  });
});

describe('durations in the locale\'s own unit words', () => {
  const d = (12 * 24 + 9) * 3600_000;
  it('Russian, Chinese and Bulgarian never read "12d 9h"', () => {
    expect(formatDurationIn(d, 'en-GB')).toBe('12d 9h');
    expect(formatDurationIn(d, 'ru-RU')).toMatch(/^12 д\.? 9 ч$/);
    expect(formatDurationIn(d, 'zh-CN')).toBe('12天 9小时');
    expect(formatDurationIn(d, 'bg-BG')).toBe('12 д 9 ч');
  });
  it('business time has no day unit', () => {
    expect(formatDurationIn(1990 * 60_000, 'ru-RU', 'business')).toBe('33 ч 10 мин');
    expect(formatDurationIn(20_000, 'ru-RU')).toBe('<1 мин');
  });
});

describe('SLA timeline entries as sentences', () => {
  const after = { metric: 'first_response', key: 'breach', planned_at: '2026-12-07T12:30:00.000Z', due_at: '2026-12-07T12:30:00.000Z' };
  const fixed = (iso: string) => formatInstant(iso, { locale: 'en-GB', timeZone: 'Europe/Sofia', now: NOW });
  it('breach: which clock and when it was due, in the reader\'s zone; no keys, no raw UTC', () => {
    const text = slaEventText(translator('en'), 'sla_breach', after, fixed);
    expect(text).toBe('First response breached — was due Mon 7 Dec, 14:30 EET');
    expect(text).not.toMatch(/Key|Planned|Z\b|T\d\d:/);
  });
  it('warning and escalation, in Russian', () => {
    const ru = translator('ru');
    const ruTime = (iso: string) => formatInstant(iso, { locale: 'ru-RU', timeZone: 'Europe/Moscow', now: NOW });
    expect(slaEventText(ru, 'sla_warning', after, ruTime)).toBe('Первый ответ: срок скоро — до пн, 7 дек., 15:30 GMT+3');
    expect(slaEventText(ru, 'sla_escalation', { ...after, level: 2, action: 'notify_admin' }, ruTime)).toContain('уровень 2: администратор уведомлён');
  });
  it('every language has every sentence', () => {
    for (const lang of Object.keys(LOCALES)) {
      const t = translator(lang);
      for (const kind of ['sla_warning', 'sla_breach', 'sla_escalation', 'pending_reminder']) {
        const text = slaEventText(t, kind, { ...after, level: 1, action: 'notify_assignee', ordinal: 1 }, fixed) ?? '';
        expect(text).not.toMatch(/display:|sla\.|\{\{/);
      }
    }
  });
  it('other events are left to the generic description', () => {
    expect(slaEventText(translator('en'), 'priority_changed', { priority: 'high' })).toBeNull();
  });
});
