import { describe, expect, it } from 'vitest';
import { domainsAlign, factsFromAuthenticationResults, senderVerdict, type MailAuthFacts } from './sender-verdict.ts';

const facts = (over: Partial<MailAuthFacts>): MailAuthFacts => ({
  checkedBy: 'mx.replyby.test', fromDomain: 'victim.test', spf: { result: 'none', domain: null }, dkim: [], dmarc: { result: 'none', policy: null }, ...over,
});

describe('senderVerdict', () => {
  it('follows DMARC when the domain has a verdict, whatever SPF says', () => {
    expect(senderVerdict(facts({ dmarc: { result: 'fail', policy: 'none' }, spf: { result: 'pass', domain: 'victim.test' } }))).toMatchObject({ verified: false, basis: 'none' });
    expect(senderVerdict(facts({ dmarc: { result: 'pass', policy: 'reject' }, spf: { result: 'fail', domain: 'victim.test' } }))).toMatchObject({ verified: true, basis: 'dmarc' });
  });

  it('without DMARC, needs SPF or DKIM aligned with the From domain', () => {
    expect(senderVerdict(facts({ spf: { result: 'fail', domain: 'victim.test' } })).verified).toBe(false);
    expect(senderVerdict(facts({}))).toMatchObject({ verified: false, reason: expect.stringContaining('SPF none') });
    expect(senderVerdict(facts({ spf: { result: 'pass', domain: 'mail.victim.test' } }))).toMatchObject({ verified: true, basis: 'aligned_spf' });
    // SPF passing for the bulk sender's own domain says nothing about the From address.
    expect(senderVerdict(facts({ spf: { result: 'pass', domain: 'bulk-mailer.test' } })).verified).toBe(false);
    expect(senderVerdict(facts({ spf: { result: 'fail', domain: 'victim.test' }, dkim: [{ result: 'pass', domain: 'victim.test', aligned: true }] }))).toMatchObject({ verified: true, basis: 'aligned_dkim' });
    expect(senderVerdict(facts({ dkim: [{ result: 'pass', domain: 'other.test', aligned: false }, { result: 'fail', domain: 'victim.test', aligned: true }] })).verified).toBe(false);
    expect(senderVerdict(facts({ dmarc: { result: 'temperror', policy: null } })).verified).toBe(false);
  });

  it('lets unchecked mail through, saying so', () => {
    expect(senderVerdict(null)).toMatchObject({ verified: true, basis: 'unchecked' });
  });

  it('aligns a domain with its subdomains only', () => {
    expect(domainsAlign('victim.test', 'mail.victim.test')).toBe(true);
    expect(domainsAlign('victim.test.', 'VICTIM.test')).toBe(true);
    expect(domainsAlign('notvictim.test', 'victim.test')).toBe(false);
    expect(domainsAlign(null, 'victim.test')).toBe(false);
  });
});

describe('factsFromAuthenticationResults', () => {
  const ours = 'mx.google.com; dkim=pass header.i=@victim.test header.s=sel header.b=abc; spf=fail (google.com: domain of x@victim.test does not designate 192.0.2.1 as permitted sender) smtp.mailfrom=x@victim.test; dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=victim.test';
  it('reads the trusted server\'s header, not one the sender wrote below it', () => {
    const forged = 'mx.google.com; dmarc=pass header.from=victim.test';
    const f = factsFromAuthenticationResults([ours, forged], 'MX.google.com', 'victim.test');
    expect(f).toMatchObject({ checkedBy: 'mx.google.com', spf: { result: 'fail', domain: 'victim.test' }, dmarc: { result: 'fail' }, dkim: [{ result: 'pass', domain: 'victim.test', aligned: true }] });
    expect(senderVerdict(f).verified).toBe(false);
  });

  it('is null when the trusted server wrote nothing', () => {
    expect(factsFromAuthenticationResults(['spoofer.test; dmarc=pass'], 'mx.google.com', 'victim.test')).toBeNull();
  });

  it('takes a DKIM pass aligned with From when there is no DMARC result', () => {
    const f = factsFromAuthenticationResults(['mx.example.net; spf=softfail smtp.mailfrom=bounce@esp.test; dkim=pass header.d=victim.test'], 'mx.example.net', 'victim.test');
    expect(senderVerdict(f)).toMatchObject({ verified: true, basis: 'aligned_dkim' });
  });
});
