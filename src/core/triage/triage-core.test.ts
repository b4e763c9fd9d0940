import { describe, expect, it } from 'vitest';
import { features, isHeldOut, majorityLabel, predict, predictFeatures, trainNaiveBayes } from './classifier.ts';
import { conditionHolds, evaluateTriggers, type TicketFacts, type TriggerRule } from './evaluate-triggers.ts';
import { renderMacro } from './render-macro.ts';
import { checkPattern, patternMatches } from './safe-pattern.ts';
import { findRepeat, jaccard, subjectTerms } from './similarity.ts';
import { nextStage } from './stage.ts';
import { bulgarianStem, detectLanguage, searchQuery, searchTerms } from './text.ts';
import { conditionSchema, triggerInput } from './trigger-schema.ts';

const facts: TicketFacts = {
  channel: 'email', support_address: 'help@acme.test', requester_email: 'ivan@globex.example', organization_id: null, tier: 'vip', type: 'technical_question',
  priority: 'normal', language: 'ru', tags: ['new-customer'], subject: 'Сервер не отвечает', body: 'Production is DOWN since 9:00', group_id: null, assignee_id: null,
};
const rule = (over: Partial<TriggerRule>): TriggerRule => ({ id: 'r', name: 'rule', active: true, events: ['created'], match: 'all', conditions: [], actions: {}, ...over });
const cond = (c: unknown) => conditionSchema.parse(c);
const at = new Date('2025-03-10T08:30:00Z'); // Monday 09:30 in Berlin

describe('trigger conditions', () => {
  it('each field and operator', () => {
    expect(conditionHolds(cond({ field: 'channel', op: 'is', value: ['email'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'channel', op: 'is_not', value: ['email'] }), facts, at)).toBe(false);
    expect(conditionHolds(cond({ field: 'support_address', op: 'is', value: ['HELP@acme.test'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'requester_email', op: 'ends_with', value: ['@globex.example'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'requester_email', op: 'is', value: ['other@globex.example'] }), facts, at)).toBe(false);
    expect(conditionHolds(cond({ field: 'tier', op: 'is', value: ['vip', 'enterprise'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'organization_id', op: 'is_not', value: ['7c9e6679-7425-40de-944b-e07fc1f90ae7'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'language', op: 'is', value: ['ru'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'tags', op: 'include_any', value: ['new-customer'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'tags', op: 'include_none', value: ['new-customer'] }), facts, at)).toBe(false);
    expect(conditionHolds(cond({ field: 'body', op: 'contains_any', value: ['down'] }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'subject', op: 'contains_none', value: ['сервер'] }), facts, at)).toBe(false);
    expect(conditionHolds(cond({ field: 'text', op: 'matches', value: 'down since \\d+:\\d\\d' }), facts, at)).toBe(true);
    expect(conditionHolds(cond({ field: 'subject', op: 'matches', value: '^server' }), facts, at)).toBe(false);
  });

  it('local time windows in a zone, with weekdays, across midnight', () => {
    const office = cond({ field: 'local_time', op: 'within', value: { time_zone: 'Europe/Berlin', from: '09:00', to: '17:00' } });
    expect(conditionHolds(office, facts, at)).toBe(true);
    expect(conditionHolds(office, facts, new Date('2025-03-10T16:30:00Z'))).toBe(false); // 17:30 Berlin
    expect(conditionHolds(office, facts, new Date('2025-03-09T09:30:00Z'))).toBe(false); // Sunday
    const night = cond({ field: 'local_time', op: 'within', value: { time_zone: 'UTC', from: '22:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] } });
    expect(conditionHolds(night, facts, new Date('2025-03-10T23:00:00Z'))).toBe(true);
    expect(conditionHolds(night, facts, new Date('2025-03-10T05:59:00Z'))).toBe(true);
    expect(conditionHolds(night, facts, new Date('2025-03-10T12:00:00Z'))).toBe(false);
  });
});

describe('evaluateTriggers', () => {
  it('runs rules in order, each seeing the previous changes, and skips rules that change nothing', () => {
    const rules = [
      rule({ id: 'a', name: 'VIP is high', conditions: [cond({ field: 'tier', op: 'is', value: ['vip'] })], actions: { priority: 'high', add_tags: ['vip'] } }),
      rule({ id: 'b', name: 'tagged vip to group', conditions: [cond({ field: 'tags', op: 'include_any', value: ['vip'] })], actions: { group_id: 'g1', internal_note: 'VIP!' } }),
      rule({ id: 'c', name: 'already normal', actions: { type: 'technical_question' } }),
      rule({ id: 'd', name: 'inactive', active: false, actions: { priority: 'low' } }),
      rule({ id: 'e', name: 'update only', events: ['updated'], actions: { priority: 'low' } }),
    ];
    const { firings, facts: after } = evaluateTriggers(rules, facts, 'created', at);
    expect(firings.map((f) => f.ruleName)).toEqual(['VIP is high', 'tagged vip to group']);
    expect(firings[0]?.changes).toEqual({ priority: 'high', tags: ['new-customer', 'vip'] });
    expect(firings[1]).toMatchObject({ changes: { group_id: 'g1' }, note: 'VIP!' });
    expect(after).toMatchObject({ priority: 'high', group_id: 'g1' });
    expect(evaluateTriggers(rules.slice(2), facts, 'updated', at).firings.map((f) => f.ruleId)).toEqual(['e']);
  });

  it('match any / all', () => {
    const conditions = [cond({ field: 'channel', op: 'is', value: ['web_form'] }), cond({ field: 'tier', op: 'is', value: ['vip'] })];
    expect(evaluateTriggers([rule({ match: 'any', conditions, actions: { priority: 'high' } })], facts, 'created', at).firings).toHaveLength(1);
    expect(evaluateTriggers([rule({ match: 'all', conditions, actions: { priority: 'high' } })], facts, 'created', at).firings).toHaveLength(0);
  });
});

describe('regular expressions are safe', () => {
  it('refuses long and unsupported patterns and matches catastrophic ones in linear time', () => {
    expect(checkPattern('a'.repeat(201))).toMatch(/at most 200/);
    expect(checkPattern('(a)\\1')).toMatch(/RE2/);
    expect(checkPattern('(?=x)')).toMatch(/RE2/);
    expect(checkPattern('(a+)+b')).toBeNull();
    expect(patternMatches('(a+)+b', `${'a'.repeat(5000)}c`)).toBe(false);
    expect(triggerInput.safeParse({ name: 'x', conditions: [{ field: 'body', op: 'matches', value: '(a)\\1' }], actions: { priority: 'high' } }).success).toBe(false);
  });
});

describe('stages', () => {
  it('move forward with the work and never back on their own', () => {
    expect(nextStage('received', { kind: 'triaged' })).toBe('triaged');
    expect(nextStage('received', { kind: 'assigned' })).toBe('assigned');
    expect(nextStage('assigned', { kind: 'triaged' })).toBe('assigned');
    expect(nextStage('assigned', { kind: 'agent_replied' })).toBe('diagnosis');
    expect(nextStage('diagnosis', { kind: 'agent_replied' })).toBe('diagnosis');
    expect(nextStage('diagnosis', { kind: 'status', status: 'solved' })).toBe('resolution');
    expect(nextStage('resolution', { kind: 'feedback' })).toBe('quality_check');
    expect(nextStage('quality_check', { kind: 'status', status: 'closed' })).toBe('archived');
    expect(nextStage('resolution', { kind: 'status', status: 'open' })).toBe('diagnosis');
    expect(nextStage('triaged', { kind: 'status', status: 'pending' })).toBe('triaged');
  });
});

describe('text', () => {
  it('detects the four languages by script and letters', () => {
    expect(detectLanguage('The invoice was charged twice')).toBe('en');
    expect(detectLanguage('Не могу войти в систему, выдаёт ошибку')).toBe('ru');
    expect(detectLanguage('Не мога да вляза в акаунта си, моля помогнете')).toBe('bg');
    expect(detectLanguage('我无法登录我的账户')).toBe('zh');
  });
  it('stems Bulgarian article and plural forms to one stem; Chinese becomes bigrams', () => {
    expect(new Set(['акаунтът', 'акаунта', 'акаунти', 'акаунтите'].map(bulgarianStem)).size).toBe(1);
    expect(bulgarianStem('си')).toBe('си');
    expect(searchTerms('zh', '重置密码')).toEqual(['重置', '置密', '密码']);
    expect(searchQuery('en', 'reset pass')).toBe('reset & pass:*');
    expect(searchQuery('en', 'reset pass', 'any')).toBe('reset | pass:*');
    expect(searchQuery('en', ' !!! ')).toBeNull();
  });
});

describe('naive Bayes', () => {
  const data = [
    ...['invoice charged twice', 'refund my payment', 'billing error on invoice', 'payment failed card'].map((text) => ({ text, label: 'billing' })),
    ...['cannot log in', 'login page error', 'password reset fails', 'cannot sign in to account'].map((text) => ({ text, label: 'access' })),
  ];
  it('learns from examples and reports a posterior', () => {
    const model = trainNaiveBayes(data);
    expect(predict(model, 'my invoice payment was charged')?.label).toBe('billing');
    const p = predict(model, 'password login problem');
    expect(p?.label).toBe('access');
    expect(p?.confidence).toBeGreaterThan(0.5);
    expect(p?.confidence).toBeLessThanOrEqual(1);
    expect(predict(trainNaiveBayes([]), 'x')).toBeNull();
  });
  it('features, split and baseline', () => {
    expect(features('ab')).toEqual(new Set([' a', 'ab', 'b ', ' ab', 'ab ', ' ab ']));
    expect(features('密码')).toEqual(new Set(['密', '码', '密码']));
    // The whole word first, then n-grams shortest first (scores add up in this order).
    expect([...features('Print')]).toEqual([' print ', ' p', 'pr', 'ri', 'in', 'nt', 't ', ' pr', 'pri', 'rin', 'int', 'nt ', ' pri', 'prin', 'rint', 'int ']);
    // A letter outside the Basic Multilingual Plane is one character (two UTF-16 units), never split in half.
    expect([...features('𐐨𐐩')]).toEqual([' 𐐨', '𐐨𐐩', '𐐩 ', ' 𐐨𐐩', '𐐨𐐩 ', ' 𐐨𐐩 ']);
    expect(predictFeatures(trainNaiveBayes(data), features('refund my invoice'))).toEqual(predict(trainNaiveBayes(data), 'refund my invoice'));
    expect(isHeldOut('t1')).toBe(isHeldOut('t1'));
    const held = Array.from({ length: 1000 }, (_, i) => isHeldOut(`id-${i}`)).filter(Boolean).length;
    expect(held).toBeGreaterThan(150);
    expect(held).toBeLessThan(250);
    expect(majorityLabel([{ text: '', label: 'a' }, { text: '', label: 'b' }, { text: '', label: 'b' }])).toBe('b');
  });
});

describe('macros and repeats', () => {
  it('renders known placeholders and keeps unknown ones visible', () => {
    expect(renderMacro('Hi {{requester.name}}, ticket {{ ticket.number }} — {{agent.name}} {{ticket.nope}} {{sla.first_response.due_local}}.',
      { 'requester.name': 'Anna', 'ticket.number': '#1001', 'agent.name': 'Alex', 'sla.first_response.due_local': null }))
      .toBe('Hi Anna, ticket #1001 — Alex {{ticket.nope}} .');
  });
  it('finds the most similar earlier subject', () => {
    expect(jaccard(subjectTerms('en', 'Cannot log in'), subjectTerms('en', 'cannot LOG in!'))).toBe(1);
    const candidates = [{ subject: 'Invoice question' }, { subject: 'Cannot log in after reset' }];
    expect(findRepeat('en', 'Re: cannot log in after password reset', candidates)?.match.subject).toBe('Cannot log in after reset');
    expect(findRepeat('en', 'Dark mode please', candidates)).toBeNull();
    expect(findRepeat('zh', '无法登录账户', [{ subject: '账户无法登录' }])?.similarity).toBeGreaterThan(0.5);
  });
});
