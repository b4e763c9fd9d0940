/**
 * Whether an inbound mail's From address is vouched for (issue 21 item 7: a spoofed From landed on the real
 * requester's ticket). The checks themselves (SPF, DKIM, DMARC) are made by `mailauth` in
 * app/email/authenticate-mail.ts or read from a trusted server's Authentication-Results header; this file
 * holds only the rule, so it can be read and tested on its own (docs/security.md).
 */

export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

export type MailAuthFacts = {
  /** Who checked: our SMTP listener, or the trusted server named in an Authentication-Results header. */
  checkedBy: string;
  fromDomain: string | null;
  spf: { result: AuthResult; domain: string | null };
  dkim: { result: AuthResult; domain: string | null; /** aligned with the From domain (relaxed) */ aligned: boolean }[];
  /** `none`: the From domain publishes no DMARC record. */
  dmarc: { result: AuthResult; policy: string | null };
};

export type SenderVerdict = {
  /** false: nothing vouches for the From address; the mail must not land on an existing ticket. */
  verified: boolean;
  /** `unchecked` when no check ran (switched off, or IMAP without a trusted server): allowed, as before. */
  basis: 'dmarc' | 'aligned_spf' | 'aligned_dkim' | 'unchecked' | 'none';
  reason: string;
};

const RESULTS: readonly AuthResult[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'];
export const asAuthResult = (v: unknown): AuthResult => (typeof v === 'string' && (RESULTS as readonly string[]).includes(v.toLowerCase()) ? v.toLowerCase() as AuthResult : 'none');

/** Relaxed alignment without the public suffix list: the same domain, or one a subdomain of the other. Stricter than DMARC's (siblings do not align), so it errs toward "unverified". */
export function domainsAlign(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * The rule:
 * 1. DMARC pass → verified; DMARC fail → unverified, whatever the domain's policy says to do with it.
 * 2. No DMARC verdict (no record, or a DNS error): verified only if SPF passed for a domain aligned with
 *    the From domain, or a DKIM signature of an aligned domain passed. Otherwise nothing vouches for the
 *    From address — an SPF fail, but also no SPF record and no signature — and it is unverified.
 * 3. No check at all (`facts` null) → allowed as before, marked `unchecked`.
 */
export function senderVerdict(facts: MailAuthFacts | null): SenderVerdict {
  if (!facts) return { verified: true, basis: 'unchecked', reason: 'sender authentication was not checked' };
  if (facts.dmarc.result === 'pass') return { verified: true, basis: 'dmarc', reason: 'DMARC passed' };
  if (facts.dmarc.result === 'fail') {
    return { verified: false, basis: 'none', reason: `DMARC failed for ${facts.fromDomain ?? 'the From domain'}${facts.dmarc.policy ? ` (policy ${facts.dmarc.policy})` : ''}` };
  }
  if (facts.spf.result === 'pass' && domainsAlign(facts.spf.domain, facts.fromDomain)) return { verified: true, basis: 'aligned_spf', reason: 'SPF passed for the From domain' };
  const signed = facts.dkim.find((d) => d.result === 'pass' && (d.aligned || domainsAlign(d.domain, facts.fromDomain)));
  if (signed) return { verified: true, basis: 'aligned_dkim', reason: `DKIM signature of ${signed.domain ?? 'the From domain'} passed` };
  return { verified: false, basis: 'none', reason: `no DMARC verdict, SPF ${facts.spf.result}${facts.spf.domain ? ` for ${facts.spf.domain}` : ''} and no passing DKIM signature aligned with ${facts.fromDomain ?? 'the From domain'}` };
}

/**
 * Why the verdict cannot be decided yet, or null when it can: the mail is not vouched for, and a check that
 * might have vouched for it ended in a DNS error (`temperror`) rather than an answer. RFC 7208 §8.6 and RFC 7489
 * §6.6.3 let the receiver answer such a mail with a temporary failure, so the sending server retries later:
 * treating the error as "unverified" opened a new, flagged ticket for every mail of a DNS outage, and treating
 * it as "verified" would let a forged From through whenever the domain's DNS is unreachable.
 */
export function undecidedReason(facts: MailAuthFacts): string | null {
  if (senderVerdict(facts).verified || facts.dmarc.result === 'fail') return null;
  const failed = [
    ...(facts.dmarc.result === 'temperror' ? ['DMARC'] : []),
    ...(facts.spf.result === 'temperror' ? ['SPF'] : []),
    ...(facts.dkim.some((d) => d.result === 'temperror') ? ['DKIM'] : []),
  ];
  return failed.length ? `${failed.join(', ')} could not be checked (DNS error) for ${facts.fromDomain ?? 'the From domain'}` : null;
}

/**
 * The facts a trusted receiving server wrote (RFC 8601), for mail fetched over IMAP: the first
 * Authentication-Results header whose authserv-id is `trustedId` (the topmost: the receiving server adds its
 * own above whatever the sender put in), or null when there is none.
 */
export function factsFromAuthenticationResults(headerValues: readonly string[], trustedId: string, fromDomain: string | null): MailAuthFacts | null {
  const trusted = trustedId.toLowerCase();
  for (const value of headerValues) {
    const text = value.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
    const [id, ...parts] = text.split(';').map((p) => p.trim());
    if (id?.split(' ')[0]?.toLowerCase() !== trusted) continue;
    const facts: MailAuthFacts = { checkedBy: trusted, fromDomain, spf: { result: 'none', domain: null }, dkim: [], dmarc: { result: 'none', policy: null } };
    for (const part of parts) {
      const m = /^(spf|dkim|dmarc)\s*=\s*([a-z]+)(.*)$/i.exec(part);
      if (!m) continue;
      const [, method = '', result = '', rest = ''] = m;
      const prop = (name: string) => new RegExp(`\\b${name.replace('.', '\\.')}\\s*=\\s*"?([^\\s";]+)`, 'i').exec(rest)?.[1] ?? null;
      const domainOf = (v: string | null) => (v?.includes('@') ? v.split('@').pop() ?? null : v)?.toLowerCase() ?? null;
      if (method.toLowerCase() === 'spf') facts.spf = { result: asAuthResult(result), domain: domainOf(prop('smtp.mailfrom')) ?? domainOf(prop('smtp.helo')) };
      else if (method.toLowerCase() === 'dmarc') facts.dmarc = { result: asAuthResult(result), policy: prop('policy.dmarc') ?? prop('p') };
      else {
        const domain = domainOf(prop('header.d') ?? prop('header.i'));
        facts.dkim.push({ result: asAuthResult(result), domain, aligned: domainsAlign(domain, fromDomain) });
      }
    }
    return facts;
  }
  return null;
}
