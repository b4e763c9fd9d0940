// Quoted history in HTML mail, found by the markup each mail client writes around it, so the ticket shows
// the new part and keeps the history folded underneath. Pure string work on the raw (unsanitized) HTML:
// the caller sanitizes both halves afterwards, which also closes any tag the cut left open.

import { isAttributionLine } from './attribution.ts';

/** Where a client's quoted history starts, as the opening tag (or text) that begins it. */
const MARKERS: { client: string; re: RegExp }[] = [
  // Gmail: <div class="gmail_quote"> (the "On … wrote:" attribution is inside it, in div.gmail_attr).
  { client: 'gmail', re: /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bgmail_quote\b[^>]*>/i },
  // Thunderbird: <div class="moz-cite-prefix">On … wrote:</div> before <blockquote type="cite">.
  { client: 'thunderbird', re: /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bmoz-cite-prefix\b[^>]*>/i },
  // Apple Mail and Thunderbird: <blockquote type="cite">.
  { client: 'apple', re: /<blockquote\b[^>]*\btype\s*=\s*["']?cite\b[^>]*>/i },
  // Outlook on the web / new Outlook: <div id="divRplyFwdMsg">, often after <div id="appendonsend"></div> and an <hr>.
  { client: 'outlook', re: /<div\b[^>]*\bid\s*=\s*["']?(?:divRplyFwdMsg|appendonsend)\b[^>]*>/i },
  // Outlook desktop: the reply header block, a div with a solid top border holding "From:".
  { client: 'outlook', re: /<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top\s*:\s*solid\s+#(?:E1E1E1|B5C4DF)[^"']*["'][^>]*>/i },
  // Yahoo.
  { client: 'yahoo', re: /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(?:yahoo_quoted|ydp[0-9a-f]*yahoo_quoted)\b[^>]*>/i },
  // Any client: a bold "From:" (in our customers' languages: en, de, fr/es, ru/bg, uk, zh) opening a separator block.
  { client: 'separator', re: /<(?:p|div)\b[^>]*>\s*(?:<(?:span|font)\b[^>]*>\s*)*<b\b[^>]*>\s*(?:<(?:span|font)\b[^>]*>\s*)*(?:From|Von|De|От|发件人|寄件者|Від)(?:\s|&nbsp;|&#160;)*[:：]/i },
];

// An <hr> right before Outlook's block belongs to the separator, not to the new text.
const TRAILING_SEPARATOR = /(?:<hr\b[^>]*>\s*|<div\b[^>]*\bid\s*=\s*["']?appendonsend\b[^>]*>\s*<\/div>\s*)+$/i;

const visibleText = (html: string): string =>
  html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The block boundaries an attribution line sits between. */
const BLOCK_BOUNDARY = /<(?:div|p)\b[^>]*>|<br\s*\/?>|<\/(?:div|p|blockquote)\s*>|<hr\b[^>]*>/gi;

/**
 * A plain attribution line right before a <blockquote>, in any language `isAttributionLine` knows: "On Mon,
 * 24 Nov 2025, A &lt;a@b&gt; wrote:<br><blockquote>", "<div>Am Mo., 7. Dez. 2026 schrieb Replyby:</div><blockquote>".
 * Returns where the line's block starts (its opening <div>/<p> included).
 */
function attributionBeforeBlockquote(html: string): number | null {
  const quote = /<blockquote\b/gi;
  for (let m = quote.exec(html); m; m = quote.exec(html)) {
    const from = Math.max(0, m.index - 3000);
    // The text before the quote, without the line breaks and block closings between it and the quote.
    const before = html.slice(from, m.index).replace(/(?:\s|&nbsp;|<br\s*\/?>|<\/(?:div|p|span|font)\s*>)*$/i, '');
    let start = 0;
    let opener = -1;
    for (const b of before.matchAll(BLOCK_BOUNDARY)) {
      start = b.index + b[0].length;
      opener = /^<(?:div|p)\b/i.test(b[0]) ? b.index : -1;
    }
    if (isAttributionLine(htmlToPlainText(before.slice(start)).replace(/\s+/g, ' '))) return from + (opener >= 0 ? opener : start);
  }
  return null;
}

export type HtmlQuoteSplit = { visible: string; quoted: string; client: string };

/**
 * Splits HTML mail into the new part and the quoted history (from the earliest marker any client wrote),
 * or returns null when there is no quoted history or nothing new above it (a pure forward stays whole).
 */
export function splitHtmlQuote(html: string): HtmlQuoteSplit | null {
  let best: { index: number; client: string } | null = null;
  for (const { client, re } of MARKERS) {
    const m = re.exec(html);
    if (m && (best === null || m.index < best.index)) best = { index: m.index, client };
  }
  const attribution = attributionBeforeBlockquote(html);
  if (attribution !== null && (best === null || attribution < best.index)) best = { index: attribution, client: 'attribution' };
  if (!best) return null;
  let cut = best.index;
  const before = html.slice(0, cut);
  const separator = TRAILING_SEPARATOR.exec(before);
  if (separator) cut = separator.index;
  const visible = html.slice(0, cut);
  if (!visibleText(visible)) return null;
  return { visible, quoted: html.slice(cut), client: best.client };
}

/** The text of an HTML fragment as a person reads it: paragraphs and line breaks kept, tags and entities gone. */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/&lt;/gi, '<').replace(/&gt;/gi, '>').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'").replace(/&amp;/gi, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
