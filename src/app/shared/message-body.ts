import sanitizeHtml from 'sanitize-html';

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'span', 'div', 'hr', 'details', 'summary'],
  // details/summary fold quoted history in e-mail (app/email/receive-mail.ts).
  allowedClasses: { details: ['quoted'] },
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Every stored body has a plain-text and a sanitized HTML form; inbound HTML is hostile until cleaned. */
export function messageBody(input: { text?: string | undefined; html?: string | undefined }): { text: string; html: string } {
  if (input.html) {
    const html = sanitizeHtml(input.html, ALLOWED);
    const text = input.text ?? sanitizeHtml(input.html.replace(/<br\s*\/?>|<\/p>/gi, '\n'), { allowedTags: [], allowedAttributes: {} }).trim();
    return { text, html };
  }
  const text = input.text ?? '';
  const html = text
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return { text, html };
}
