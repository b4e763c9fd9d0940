import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError, invalidInput } from '../../core/errors.ts';

// Server-side fetches of user-supplied URLs (holiday feeds, later webhooks) must not reach the
// server's own network: loopback, private, link-local (cloud metadata) and unique-local ranges.
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 4], [0xf0000000, 4],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip);
    return PRIVATE_V4.some(([base, bits]) => (n >>> (32 - bits)) === (base >>> (32 - bits)));
  }
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:')) return isPrivateAddress(lower.slice(7));
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

export type FetchOptions = { allowPrivate: boolean; maxBytes: number; timeoutMs: number };

/** GETs an http(s) URL as text, refusing private destinations unless allowed, with a size and time cap. */
export async function fetchPublicUrl(raw: string, path: string, options: FetchOptions): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(path, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput(path, 'must be an http or https URL');
  if (!options.allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0) throw invalidInput(path, `host ${host} does not resolve`);
    if (addresses.some(isPrivateAddress)) throw invalidInput(path, 'points to a private or local address');
  }
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    throw new DomainError('unprocessable', `could not fetch: ${err instanceof Error ? err.message : String(err)}`, path);
  }
  if (!res.ok) throw new DomainError('unprocessable', `the server answered ${res.status}`, path);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw new DomainError('unprocessable', `larger than ${options.maxBytes} bytes`, path);
  const text = await res.text();
  if (Buffer.byteLength(text) > options.maxBytes) throw new DomainError('unprocessable', `larger than ${options.maxBytes} bytes`, path);
  return text;
}
