import { describe, expect, it } from 'vitest';
import { promiseWords } from '../email/promise-words.ts';
import { chatAcknowledgement, splitChatText } from './chat-texts.ts';
import { chatFromTelegram, chatFromWebhook, conversationContinues, subjectFromChat, telegramUpdate, webhookMessage } from './inbound-message.ts';
import { checkSignature, secretMatches, sha256, signBody } from './signature.ts';

describe('signatures', () => {
  const now = Date.parse('2025-03-10T08:00:00Z');
  const t = now / 1000;
  it('accepts its own signature and refuses a changed body, another secret, an old or future timestamp, garbage', () => {
    const header = signBody('s3cret', t, '{"a":1}');
    expect(checkSignature(header, 's3cret', '{"a":1}', now)).toBeNull();
    expect(checkSignature(header, 's3cret', '{"a":2}', now)).toBe('mismatch');
    expect(checkSignature(header, 'other', '{"a":1}', now)).toBe('mismatch');
    expect(checkSignature(signBody('s3cret', t - 301, '{}'), 's3cret', '{}', now)).toBe('stale');
    expect(checkSignature(signBody('s3cret', t + 301, '{}'), 's3cret', '{}', now)).toBe('stale');
    expect(checkSignature(signBody('s3cret', t - 299, '{}'), 's3cret', '{}', now)).toBeNull();
    expect(checkSignature(undefined, 's3cret', '{}', now)).toBe('missing');
    expect(checkSignature('t=abc,v1=zz', 's3cret', '{}', now)).toBe('malformed');
    expect(checkSignature(`t=${t}`, 's3cret', '{}', now)).toBe('malformed');
  });
  it('compares a presented secret with its stored hash, whatever its length', () => {
    const stored = sha256('abc');
    expect(secretMatches('abc', stored)).toBe(true);
    expect(secretMatches('abcd', stored)).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
    expect(secretMatches(undefined, stored)).toBe(false);
  });
});

describe('inbound messages', () => {
  const update = (message: unknown) => telegramUpdate.parse({ update_id: 7, message });
  it('reads a Telegram text or caption with the sender\'s name and language', () => {
    expect(chatFromTelegram(update({ message_id: 1, chat: { id: -5 }, from: { id: 9, first_name: 'Ivan', last_name: 'P', language_code: 'ru-RU' }, text: ' Hi ' })))
      .toEqual({ deliveryId: '7', conversationId: '-5', name: 'Ivan P', language: 'ru-RU', text: 'Hi' });
    expect(chatFromTelegram(update({ message_id: 1, chat: { id: 3 }, from: { id: 3, first_name: '', username: 'neo' }, caption: 'photo' }))?.name).toBe('@neo');
    expect(chatFromTelegram(update({ message_id: 1, chat: { id: 3 }, text: 'x' }))?.name).toBe('Telegram 3');
  });
  it('ignores what no person wrote as text: edits, stickers, bots', () => {
    expect(chatFromTelegram(telegramUpdate.parse({ update_id: 1 }))).toBeNull();
    expect(chatFromTelegram(update({ message_id: 1, chat: { id: 3 } }))).toBeNull();
    expect(chatFromTelegram(update({ message_id: 1, chat: { id: 3 }, from: { id: 1, is_bot: true, first_name: 'B' }, text: 'x' }))).toBeNull();
  });
  it('reads the generic message and refuses a blank text', () => {
    expect(chatFromWebhook(webhookMessage.parse({ id: 'm', conversation_id: 'c', text: 'Hello' }))).toEqual({ deliveryId: 'm', conversationId: 'c', name: 'c', language: null, text: 'Hello' });
    expect(webhookMessage.safeParse({ id: 'm', conversation_id: 'c', text: ' \n' }).success).toBe(false);
  });
  it('makes a subject of the first line, cut at a word', () => {
    expect(subjectFromChat('\n  Short one\nsecond')).toBe('Short one');
    const long = subjectFromChat('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('word…')).toBe(true);
  });
  it('keeps a conversation on its ticket until it is solved, closed or archived', () => {
    for (const status of ['new', 'open', 'pending', 'on_hold']) expect(conversationContinues({ status, archived_at: null })).toBe(true);
    for (const status of ['solved', 'closed']) expect(conversationContinues({ status, archived_at: null })).toBe(false);
    expect(conversationContinues({ status: 'open', archived_at: new Date() })).toBe(false);
    expect(conversationContinues(null)).toBe(false);
  });
});

describe('chat texts', () => {
  it('states the promise in the customer\'s language, and nothing about it when there is none', () => {
    const promise = { promisedAt: new Date('2025-03-10T12:00:00Z'), statedMinutes: 240, clock: 'business' as const, basis: 'sla' as const, commitmentMinutes: 240, ahead: null, backAt: null };
    const ru = chatAcknowledgement('ru', '#12', promiseWords(promise, 'Europe/Berlin', 'ru'));
    expect(ru).toContain('Мы получили ваше обращение #12.');
    expect(ru).toMatch(/Мы ответим до .*13:00/);
    const none = chatAcknowledgement('zh', '#12', promiseWords(null, 'UTC', 'zh'));
    expect(none).toContain('我们已收到您的请求 #12');
    expect(none).not.toContain('回复（');
  });
  it('splits long texts under the limit, at a space when one is near', () => {
    const parts = splitChatText(`${'a'.repeat(30)} ${'b'.repeat(30)}`, 40);
    expect(parts).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
    expect(splitChatText('x'.repeat(90), 40).map((p) => p.length)).toEqual([40, 40, 10]);
    expect(splitChatText('short', 4096)).toEqual(['short']);
  });
});
