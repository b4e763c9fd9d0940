/**
 * The reply mail's template signs with the agent's name ("— {{agent.name}}"), and a reply written from a
 * macro that ends with `{{agent.name}}` already carries that name as its last line: the customer saw it
 * twice (review 2026-12-07, item 14). When the template signs, a last line that is only the signer's name
 * (with an optional dash, "Best regards,"-style lines above it are kept) is left out of the body.
 */
export function withoutTrailingSignature(body: string, signer: string | null): string {
  const name = signer?.trim();
  if (!name) return body;
  const lines = body.replace(/\s+$/u, '').split('\n');
  const last = lines.at(-1)?.trim().replace(/^[-—–]+\s*/u, '');
  if (lines.length < 2 || last?.toLocaleLowerCase() !== name.toLocaleLowerCase()) return body;
  return lines.slice(0, -1).join('\n').replace(/\s+$/u, '');
}
