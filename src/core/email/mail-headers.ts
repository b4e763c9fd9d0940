// Pure decisions on an inbound mail's headers: loops and bulk, threading keys, the sender's zone.

import { isAttributionLine, opensHeaderBlock, ORIGINAL_MESSAGE } from './attribution.ts';

export type HeaderLookup = (name: string) => string | undefined;

/**
 * A lookup over a mail's raw header lines ("Name: value", folded lines unfolded), by name in any case.
 * The loop and bulk checks read these, not a parser's structured headers: mailparser, for one, folds
 * List-Id, List-Unsubscribe and the other List-* headers into one `list` object, so asking it for
 * `list-id` answers nothing and mailing-list mail looked like a person's.
 */
export function headerLookup(lines: readonly { key: string; line: string }[]): HeaderLookup {
  return (name) => {
    const wanted = name.toLowerCase();
    const hit = lines.find((h) => h.key.toLowerCase() === wanted);
    if (!hit) return undefined;
    const colon = hit.line.indexOf(':');
    return (colon < 0 ? '' : hit.line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
  };
}

/**
 * Mail no person wrote: never acknowledged, so two auto-responders cannot talk to each other forever
 * (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, the de-facto X-Autoreply / X-Autorespond,
 * mailing lists, and delivery reports from mailer-daemon / postmaster).
 */
export function automaticReason(header: HeaderLookup, fromAddress: string): string | null {
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (header('x-autoreply') !== undefined) return 'X-Autoreply';
  if (header('x-autorespond') !== undefined) return 'X-Autorespond';
  if (header('x-auto-response-suppress')?.toLowerCase().includes('all')) return 'X-Auto-Response-Suppress';
  // RFC 2369 / 2919: a List-* header of whichever kind marks mail sent to a list, Precedence or not.
  const list = ['list-id', 'list-unsubscribe', 'list-post', 'list-help', 'list-subscribe', 'list-owner', 'list-archive'].find((h) => header(h) !== undefined);
  if (list) return `mailing list (${list})`;
  const local = fromAddress.slice(0, fromAddress.indexOf('@')).toLowerCase();
  if (['mailer-daemon', 'postmaster', 'noreply', 'no-reply', 'donotreply', 'do-not-reply'].includes(local)) return `sender ${local}`;
  return null;
}

/** "<ABC@x>" → "<abc@x>"-style canonical form used as the key (angle brackets kept, whitespace dropped). */
export function normalizeMessageId(value: string | undefined | null): string | null {
  if (!value) return null;
  const m = /<([^<>\s]+)>/.exec(value) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(value);
  return m?.[1] ? `<${m[1]}>` : null;
}

/** Every message-id in In-Reply-To and References, most recent first (the thread's newest ancestor wins). */
export function threadCandidates(inReplyTo: string | undefined, references: string | string[] | undefined): string[] {
  const refs = (Array.isArray(references) ? references.join(' ') : references ?? '').match(/<[^<>\s]+>/g) ?? [];
  const parent = (inReplyTo ?? '').match(/<[^<>\s]+>/g) ?? [];
  return [...new Set([...parent, ...refs.reverse()])];
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ticket number from a subject token such as "[#1042]" (the prefix is REPLYBY_TICKET_PREFIX). */
export function subjectTicketNumber(subject: string, prefix: string): number | null {
  const m = new RegExp(`\\[${escapeRegex(prefix)}(\\d{1,9})\\]`).exec(subject);
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * An IANA zone for the offset in a Date header ("Tue, 25 Nov 2025 10:00:00 +0300" → "Etc/GMT-3";
 * the Etc sign is inverted by POSIX convention). Whole hours only: no IANA name exists for +05:30.
 */
export function zoneFromDateHeader(dateHeader: string | undefined): string | null {
  const m = /\s([+-])(\d{2})(\d{2})\s*(\(.*\))?\s*$/.exec(dateHeader ?? '');
  if (!m || !m[1] || !m[2] || !m[3]) return null;
  const hours = Number(m[2]);
  if (m[3] !== '00' || hours > 14) return null;
  if (hours === 0) return 'UTC';
  return `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

/** How a zone reads to a customer: IANA names as they are, Etc/GMT-3 as "UTC+3". */
export function zoneLabel(zone: string): string {
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  if (!m) return zone;
  return `UTC${m[1] === '+' ? '-' : '+'}${m[2]}`;
}

const QUOTE_HEADER = [
  /^-{2,}\s*(Original Message|Исходное сообщение|Оригинално съобщение|原始邮件)\s*-{2,}\s*$/i,
  ORIGINAL_MESSAGE,
  /^(From|От|Від|发件人):\s.+$/,
];

/**
 * Where quoted history starts at line i: a separator, a header block, or an attribution line — also one
 * the client wrapped over two lines ("On Mon, Dec 7, 2026 at 9:00 AM Replyby Support <" / "support@x> wrote:").
 */
function quoteStartsAt(lines: readonly string[], i: number): boolean {
  const line = (lines[i] ?? '').trim();
  if (QUOTE_HEADER.some((re) => re.test(line)) || opensHeaderBlock(lines, i) || isAttributionLine(line)) return true;
  // Wrapped: only a line that opens like an attribution ("On", "Am", "Le", "El", "На", "在") and does not end a sentence.
  const next = (lines[i + 1] ?? '').trim();
  if (!next || !/^(On|Am|Le|El|На|在)\s/u.test(line) || /[.!?。！？]$/u.test(line)) return false;
  return isAttributionLine(`${line} ${next}`);
}

/** Splits a plain-text mail into the new part and the quoted history below it (folded on display). */
export function foldQuoted(text: string): { visible: string; quoted: string } {
  const lines = text.split(/\r?\n/);
  let cut = -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (quoteStartsAt(lines, i)) { cut = i; break; }
    // A run of "> " lines to the end (or followed only by blank lines) is the quote.
    if (line.startsWith('>') && lines.slice(i).every((l) => l.startsWith('>') || l.trim() === '')) { cut = i; break; }
  }
  if (cut <= 0) return { visible: text.trim(), quoted: '' };
  const visible = lines.slice(0, cut).join('\n').trim();
  if (!visible) return { visible: text.trim(), quoted: '' };
  return { visible, quoted: lines.slice(cut).join('\n').trim() };
}
