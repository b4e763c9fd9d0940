import { describe, expect, it } from 'vitest';
import { normalizeOrigin, originAllowed, signVisitorToken, verifyVisitorToken, widgetSettingsSchema, widgetTranscript } from './widget.ts';

describe('the widget, pure', () => {
  it('signs a visitor token that only the same key and channel accept', () => {
    const token = signVisitorToken('key-1', 'channel-a', 'conv_abcdefghijklmnop');
    expect(verifyVisitorToken('key-1', 'channel-a', token)).toBe('conv_abcdefghijklmnop');
    expect(verifyVisitorToken('key-2', 'channel-a', token)).toBeNull();
    expect(verifyVisitorToken('key-1', 'channel-b', token)).toBeNull();
    const [prefix, conv, sig] = token.split('.');
    expect(verifyVisitorToken('key-1', 'channel-a', `${prefix}.${conv}x.${sig}`)).toBeNull();
    expect(verifyVisitorToken('key-1', 'channel-a', undefined)).toBeNull();
    expect(verifyVisitorToken('key-1', 'channel-a', 'wv1.short.sig')).toBeNull();
  });

  it('compares origins by scheme, host and port', () => {
    expect(normalizeOrigin('https://Shop.Example.com:443/')).toBe('https://shop.example.com');
    expect(normalizeOrigin('https://shop.example.com/path')).toBeNull();
    expect(normalizeOrigin('ftp://shop.example.com')).toBeNull();
    const allowed = ['https://shop.example.com', 'http://localhost:5173'];
    expect(originAllowed('https://shop.example.com', allowed)).toBe(true);
    expect(originAllowed('http://shop.example.com', allowed)).toBe(false);
    expect(originAllowed('http://localhost:5174', allowed)).toBe(false);
    expect(originAllowed(undefined, allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
  });

  it('refuses an origin with a path in the settings, naming the entry', () => {
    const r = widgetSettingsSchema.partial().safeParse({ allowed_origins: ['https://ok.example', 'https://bad.example/x'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['allowed_origins', 1]);
  });

  it('writes the transcript in the customer\'s language', () => {
    const at = new Date('2025-03-10T08:05:00Z');
    const mail = widgetTranscript('bg', [{ author: 'visitor', author_name: 'Ив', body: 'Здравейте', created_at: at }, { author: 'agent', author_name: 'Ада', body: 'Добър ден', created_at: at }]);
    expect(mail.subject).toBe('Запис на вашия чат');
    expect(mail.text).toContain('[2025-03-10 08:05] Вие:\nЗдравейте');
    expect(mail.text).toContain('[2025-03-10 08:05] Ада:\nДобър ден');
  });
});
