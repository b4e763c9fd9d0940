import { Resolver } from 'node:dns/promises';
import { authenticate } from 'mailauth';
import { asAuthResult, undecidedReason, type MailAuthFacts } from '../../core/email/sender-verdict.ts';

/** A DNS lookup as mailauth calls it (name, record type) → records; `dns.promises.resolve` when not given. Tests pass a stub with real records. */
export type DnsResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

export type SmtpPeer = { ip: string; helo: string | null; mailFrom: string | null };

/**
 * The system's DNS with a bound on each lookup: 2 s a try, two tries. Node's default waits 5 s a try and four
 * tries, so a dead resolver held every SMTP session for half a minute or more per record looked up.
 */
function boundedResolver(): DnsResolver {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}
let systemResolver: DnsResolver | null = null;

/** The checks could not be decided: a DNS error stood where an answer might have vouched for the sender. */
export class MailAuthUndecided extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * SPF, DKIM and DMARC of one mail received over SMTP, with `mailauth` (issue 21 item 7). Throws MailAuthUndecided
 * when a DNS error leaves the verdict open (core/email/sender-verdict.ts `undecidedReason`): the listener then
 * answers 451 and the sender retries. BIMI and ARC are not asked: neither decides whether the From address is
 * vouched for. The rule that reads these facts is core/email/sender-verdict.ts.
 */
export async function authenticateSmtpMail(raw: Buffer, peer: SmtpPeer, options: { mta: string; resolver?: DnsResolver }): Promise<{ facts: MailAuthFacts; header: string }> {
  const res = await authenticate(raw, {
    ip: peer.ip, helo: peer.helo ?? undefined, sender: peer.mailFrom ?? undefined, mta: options.mta,
    resolver: options.resolver ?? (systemResolver ??= boundedResolver()),
    disableArc: true, disableBimi: true,
  });
  const fromDomain = (res.dmarc && res.dmarc.domain) || null;
  const facts: MailAuthFacts = {
    checkedBy: options.mta,
    fromDomain: fromDomain ? fromDomain.toLowerCase() : null,
    spf: { result: asAuthResult(res.spf && res.spf.status.result), domain: (res.spf && res.spf.domain) || null },
    dkim: res.dkim.results
      .filter((d) => d.status.result !== 'none')
      .map((d) => ({ result: asAuthResult(d.status.result), domain: d.signingDomain ?? null, aligned: Boolean(d.status.aligned) })),
    dmarc: { result: asAuthResult(res.dmarc && res.dmarc.status.result), policy: (res.dmarc && res.dmarc.policy) || null },
  };
  const undecided = undecidedReason(facts);
  if (undecided) throw new MailAuthUndecided(undecided);
  return { facts, header: res.headers.trim() };
}
