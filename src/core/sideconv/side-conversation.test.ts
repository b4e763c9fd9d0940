import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIDE_STATES, advanceSideClock, nextSideState, sidePlusAddress, sideSubject, tokenFromRecipients, tokenFromSubject, waitedMs, type SideAction, type SideClock } from './side-conversation.ts';

describe('side conversation rules', () => {
  it('our message waits, their reply opens, close ends, reopen only leaves closed', () => {
    expect(nextSideState('open', 'sent')).toBe('waiting');
    expect(nextSideState('waiting', 'reply')).toBe('open');
    expect(nextSideState('waiting', 'close')).toBe('closed');
    expect(nextSideState('closed', 'reopen')).toBe('open');
    expect(nextSideState('waiting', 'reopen')).toBe('waiting');
  });

  it('a second message of ours while waiting does not count the running span twice (fast-check found it)', () => {
    const t0 = Date.parse('2026-01-05T09:00:00Z');
    const first = advanceSideClock({ waited_ms: 0, waiting_since: null }, 'waiting', new Date(t0));
    const second = advanceSideClock(first, nextSideState('waiting', 'sent'), new Date(t0 + 60_000));
    expect(waitedMs(second, new Date(t0 + 90_000))).toBe(90_000);
    expect(waitedMs(advanceSideClock(second, 'open', new Date(t0 + 120_000)), new Date(t0 + 999_000))).toBe(120_000);
  });

  it('the waiting clock is the sum of the waiting spans, whatever the sequence', () => {
    const actionArb = fc.record({ gap: fc.integer({ min: 0, max: 10_000_000 }), action: fc.constantFrom<SideAction>('sent', 'reply', 'close', 'reopen') });
    fc.assert(fc.property(fc.array(actionArb, { maxLength: 20 }), fc.integer({ min: 0, max: 10_000_000 }), (actions, tail) => {
      let t = Date.parse('2026-01-05T09:00:00Z');
      let state = nextSideState('open', 'sent');
      let clock: SideClock = advanceSideClock({ waited_ms: 0, waiting_since: null }, state, new Date(t));
      let expected = 0;
      for (const a of actions) {
        if (state === 'waiting') expected += a.gap;
        t += a.gap;
        state = nextSideState(state, a.action);
        clock = advanceSideClock(clock, state, new Date(t));
        expect(SIDE_STATES).toContain(state);
      }
      if (state === 'waiting') expected += tail;
      expect(waitedMs(clock, new Date(t + tail))).toBe(expected);
    }), { numRuns: 300 });
  });

  it('threading keys: subject token and plus address round-trip; the ticket token is never added', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{10}$/), fc.string({ maxLength: 40 }), (token, subject) => {
      const s = sideSubject(subject.replace(/\[SC-/gi, ''), token);
      expect(tokenFromSubject(`Re: AW: ${s}`)).toBe(token);
      expect(s).not.toMatch(/\[#\d+\]/);
      const plus = sidePlusAddress('help@replyby.test', token);
      expect(tokenFromRecipients(['other@x.test', plus ?? ''])).toBe(token);
    }));
    expect(sidePlusAddress('help+x@replyby.test', 'abcdefghij')).toBeNull();
    expect(tokenFromSubject('[#12] Invoice')).toBeNull();
  });
});
