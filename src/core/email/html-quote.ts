// Quoted history in HTML mail, found by the markup each mail client writes around it, so the ticket shows
// the new part and keeps the history folded underneath. Pure string work on the raw (unsanitized) HTML:
// the caller sanitizes both halves afterwards, which also closes any tag the cut left open.

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
  // Any client: a bold "From:" (in the four languages we answer in) opening a separator block.
  { client: 'separator', re: /<(?:p|div)\b[^>]*>\s*(?:<(?:span|font)\b[^>]*>\s*)*<b\b[^>]*>\s*(?:<(?:span|font)\b[^>]*>\s*)*(?:From|От|发件人|Від)\s*:/i },
  // A plain attribution line right before a <blockquote>: "On Mon, 24 Nov 2025, A <a@b> wrote:<br><blockquote>".
  { client: 'attribution', re: /(?:<(?:div|p)\b[^>]*>\s*)?On\s[^<]{4,200}wrote:\s*(?:<br\s*\/?>\s*|<\/(?:div|p)>\s*)*(?=<blockquote\b)/i },
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
