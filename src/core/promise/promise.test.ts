import { describe, expect, it } from 'vitest';
import { compileCalendar, ALWAYS_OPEN } from '../calendar/index.ts';
import fc from 'fast-check';
import { computePromise, mayApplyAutomatically, predictReply, promiseKept } from './compute-promise.ts';
import { URGENCY_APPLY_CONFIDENCE, detectUrgency, suggestUrgency, urgencyAtIntake } from './urgency.ts';

const H = 3_600_000;
const OFFICE = compileCalendar({
  timezone: 'Europe/Berlin',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
});
const TUE_2146 = Date.parse('2025-03-11T21:46:00Z');

describe('detectUrgency: the service is down / blocked / urgent, in en, ru, zh and bg', () => {
  it.each([
    ['URGENT production down, all customers affected', 'critical'],
    ['Our website is down since 9:00', 'critical'],
    ['The API is not responding for any request', 'critical'],
    ['We are completely blocked and cannot work', 'critical'],
    ['Please help, this is urgent!', 'critical'],
    ['Production outage', 'critical'],
    ['Сайт не работает с утра, клиенты не могут оплатить', 'critical'],
    ['Наша система упала, срочно помогите', 'critical'],
    ['Срочно нужна помощь', 'critical'],
    ['Мы не можем работать, всё заблокировано', 'critical'],
    ['生产系统宕机了，所有客户都无法使用', 'critical'],
    ['网站打不开，请紧急处理', 'critical'],
    ['系统紧急故障', 'critical'],
    ['Системата не работи от сутринта', 'critical'],
    ['Сайтът се срина, моля спешно', 'critical'],
    ['Моля, спешно', 'critical'],
    ['Не можем да работим, всичко е блокирано', 'critical'],
    ['Please reply as soon as possible about the invoice', 'high'],
    ['Ответьте, пожалуйста, как можно скорее', 'high'],
    ['请尽快回复', 'high'],
  ])('%s → %s', (text, expected) => {
    const d = detectUrgency(text);
    expect(d.urgency).toBe(expected);
    if (expected === 'critical') expect(d.confidence).toBeGreaterThanOrEqual(URGENCY_APPLY_CONFIDENCE);
    else expect(d.confidence).toBeLessThan(URGENCY_APPLY_CONFIDENCE);
    expect(d.confidence).toBeLessThan(1);
  });

  it.each([
    'How do I export invoices?',
    'Insurgentes avenue office',
    'Please scroll down to the second table',
    'Not urgent: a question about the price list, no rush',
    'Это не срочно, просто вопрос о тарифах',
    '不急，想了解一下价格',
    'Не е спешно, имам въпрос за цените',
    'Can I download the report as PDF?',
  ])('nothing pressing in "%s"', (text) => {
    expect(detectUrgency(text).urgency).toBeNull();
  });

  it('names what it read, for the timeline', () => {
    expect(detectUrgency('Our website is down').signals).toEqual([{ kind: 'down', words: 'website is down' }]);
  });
});

describe('urgencyAtIntake: detection can only raise the urgency', () => {
  it('applies a confident critical, suggests a mere wish, never lowers what was stated', () => {
    expect(urgencyAtIntake('normal', detectUrgency('Production is down'))).toEqual({ urgency: 'critical', applied: true, suggestion: null });
    expect(urgencyAtIntake('normal', detectUrgency('reply asap please'))).toEqual({ urgency: 'normal', applied: false, suggestion: 'high' });
    expect(urgencyAtIntake('critical', detectUrgency('how do I export?'))).toEqual({ urgency: 'critical', applied: false, suggestion: null });
    expect(urgencyAtIntake('high', detectUrgency('asap'))).toEqual({ urgency: 'high', applied: false, suggestion: null });
    expect(suggestUrgency('urgent', 'critical')).toBeNull();
    expect(suggestUrgency('紧急', 'high')).toBe('critical');
  });
});

const commitment = (dueAt: number, targetMinutes: number, clock: 'business' | 'calendar' = 'calendar') => ({ dueAt, targetMinutes, clock });

describe('computePromise: the rule', () => {
  it('promises the published commitment when the queue can make it', () => {
    const p = computePromise({ now: TUE_2146, commitment: commitment(TUE_2146 + 24 * H, 1440), calendar: ALWAYS_OPEN, queue: { ahead: 2, recentHandleMinutes: 30, agentsOnShift: 3 } });
    expect(p).toEqual({ promisedAt: TUE_2146 + 24 * H, basis: 'sla', clock: 'calendar', statedMinutes: 1440, commitmentMinutes: 1440, committedAt: TUE_2146 + 24 * H, ahead: null, backAt: null, surge: false });
  });

  it('promises the later prediction with the reason, and the stated duration matches the date exactly', () => {
    // 31 tickets × 113 min ÷ 2 agents = 1752 min = 29 h 12 min → "within 30 hours", promised exactly 30 h away.
    const p = computePromise({ now: TUE_2146, commitment: commitment(TUE_2146 + 24 * H, 1440), calendar: ALWAYS_OPEN, queue: { ahead: 31, recentHandleMinutes: 113, agentsOnShift: 2 } });
    expect(p).toMatchObject({ basis: 'queue', statedMinutes: 30 * 60, promisedAt: TUE_2146 + 30 * H, commitmentMinutes: 1440, ahead: 31 });
  });

  it('a business-time prediction is counted in open hours, so the promise falls inside them', () => {
    // Tuesday 22:46 Berlin, 9–17 office: 5 × 60 ÷ 1 = 300 business minutes → Wednesday 14:00 Berlin.
    const p = computePromise({ now: TUE_2146, commitment: commitment(Date.parse('2025-03-12T09:00:00Z'), 240, 'business'), calendar: OFFICE, queue: { ahead: 5, recentHandleMinutes: 60, agentsOnShift: 1 } });
    expect(p?.basis).toBe('queue');
    expect(new Date(p?.promisedAt ?? 0).toISOString()).toBe('2025-03-12T13:00:00.000Z');
    expect(p?.statedMinutes).toBe(300);
    expect(OFFICE.isOpen((p?.promisedAt ?? 0) - 1)).toBe(true);
  });

  it('outside office hours says when the team is back, whether the target counts business or wall-clock time', () => {
    const business = computePromise({ now: TUE_2146, commitment: commitment(Date.parse('2025-03-12T11:00:00Z'), 240, 'business'), calendar: OFFICE, queue: null });
    const wall = computePromise({ now: TUE_2146, commitment: commitment(TUE_2146 + 2 * H, 120, 'calendar'), calendar: OFFICE, queue: null });
    expect(business?.backAt).toBe(Date.parse('2025-03-12T08:00:00Z'));
    expect(wall?.backAt).toBe(Date.parse('2025-03-12T08:00:00Z'));
    expect(wall?.promisedAt).toBe(TUE_2146 + 2 * H);
    expect(computePromise({ now: TUE_2146, commitment: commitment(TUE_2146 + H, 60), calendar: ALWAYS_OPEN, queue: null })?.backAt).toBeNull();
  });

  it('no policy and no history: no promise', () => {
    expect(computePromise({ now: TUE_2146, commitment: null, calendar: OFFICE, queue: { ahead: 5, recentHandleMinutes: null, agentsOnShift: 1 } })).toBeNull();
  });

  it('predictReply counts at least one agent, and nothing ahead predicts nothing', () => {
    expect(predictReply(0, { ahead: 3, recentHandleMinutes: 10, agentsOnShift: 0 }, ALWAYS_OPEN)).toBe(30 * 60_000);
    expect(predictReply(0, { ahead: 0, recentHandleMinutes: 10, agentsOnShift: 1 }, ALWAYS_OPEN)).toBeNull();
  });

  it('property: never earlier than the commitment, and the stated duration always reaches exactly the promised date', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 12 }), fc.boolean(),
      (offsetMinutes, target, ahead, handle, agents, business) => {
        const now = TUE_2146 + offsetMinutes * 60_000;
        const calendar = business ? OFFICE : ALWAYS_OPEN;
        const dueAt = business ? OFFICE.addBusinessMs(now, target * 60_000) : now + target * 60_000;
        const p = computePromise({ now, commitment: commitment(dueAt, target, business ? 'business' : 'calendar'), calendar, queue: { ahead, recentHandleMinutes: handle, agentsOnShift: agents } });
        if (!p) return false;
        const stated = p.clock === 'business' ? OFFICE.addBusinessMs(now, p.statedMinutes * 60_000) : now + p.statedMinutes * 60_000;
        return p.promisedAt >= dueAt && stated === p.promisedAt && (p.basis === 'sla') === (p.promisedAt === dueAt && p.statedMinutes === target);
      }), { numRuns: 300 });
  });
});

describe('mayApplyAutomatically', () => {
  it('shortening or keeping is allowed, lengthening is not', () => {
    expect(mayApplyAutomatically(100, 50)).toBe(true);
    expect(mayApplyAutomatically(100, 100)).toBe(true);
    expect(mayApplyAutomatically(100, 101)).toBe(false);
    expect(mayApplyAutomatically(100, null)).toBe(false);
    expect(mayApplyAutomatically(null, 5)).toBe(true);
  });
});

describe('promiseKept', () => {
  it('kept when answered by the original promise, broken after it, open before it', () => {
    expect(promiseKept(100, 100, 200)).toBe(true);
    expect(promiseKept(100, 101, 200)).toBe(false);
    expect(promiseKept(100, null, 200)).toBe(false);
    expect(promiseKept(100, null, 50)).toBeNull();
  });
});
