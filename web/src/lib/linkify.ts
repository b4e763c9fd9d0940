// Links in message text (review 2026-12-07 item 27): http(s) URLs become links, everything else stays text.
// The pieces are rendered by React as text and as an <a> whose href is a URL re-serialised by the URL parser
// with an http(s) scheme only, so a message can never inject markup or a javascript:/data: link.

export type TextPiece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_LIKE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the address ("see https://x.example/a.").
const TRAILING = /[.,;:!?'"»”’…]+$/;

/** Strips trailing punctuation and a closing bracket that has no opening one inside the URL. */
function trimUrl(raw: string): string {
  let url = raw.replace(TRAILING, '');
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (url.endsWith(close) && url.split(close).length > url.split(open).length) url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

function safeHref(text: string): string | null {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Splits text into plain pieces and http(s) links, in order; joined back, the pieces' text is the input. */
export function splitLinks(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_LIKE)) {
    const start = m.index ?? 0;
    const url = trimUrl(m[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (start > at) out.push({ kind: 'text', text: text.slice(at, start) });
    out.push({ kind: 'link', text: url, href });
    at = start + url.length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}
