import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError, invalidInput } from '../../core/errors.ts';

// Server-side fetches of user-supplied URLs (holiday feeds, later webhooks) must not reach the
// server's own network. Node's BlockList compares addresses numerically, so every spelling of an
// address (::ffff:7f00:1, ::ffff:127.0.0.1, 0:0:0:0:0:ffff:7f00:1) meets the same rule, and an
// IPv4 rule also covers that address's IPv4-mapped IPv6 form.
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], // NAT64: would reach an embedded IPv4 address through a translator
  ['100::', 64], // discard
  ['2001::', 32], // Teredo tunnels an IPv4 address
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 embeds an IPv4 address
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link local
  ['ff00::', 8], // multicast
] as const) BLOCKED.addSubnet(net, bits, 'ipv6');

/** True for an address on the server's own network, a special-purpose range, or one that tunnels into either. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: never connect to it
  return BLOCKED.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Host name → addresses; injectable so tests can stand in for DNS. */
export type Resolve = (hostname: string) => Promise<string[]>;
const systemResolve: Resolve = async (hostname) => (await lookup(hostname, { all: true })).map((a) => a.address);

export type FetchOptions = { allowPrivate: boolean; maxBytes: number; timeoutMs: number; resolve?: Resolve };

class Refused extends Error {}

/**
 * Resolves inside the connection itself, so the address that is checked is the address connected to:
 * a name that answers with a public address to a first lookup and a private one to the next (DNS
 * rebinding) gets no second lookup.
 */
function checkedLookup(resolve: Resolve, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) throw new Refused(`host ${hostname} does not resolve`);
        if (!allowPrivate && addresses.some(isPrivateAddress)) throw new Refused('points to a private or local address');
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, entries);
        else callback(null, entries[0]?.address ?? '', entries[0]?.family ?? 4);
      },
    ).catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), '', 4));
  };
}

/** An http(s) URL without credentials whose literal address (if any) is public; the name's addresses are checked on connect. */
export function checkPublicUrl(raw: string, path: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(path, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput(path, 'must be an http or https URL');
  if (url.username || url.password) throw invalidInput(path, 'must not carry a user name or password');
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // An address written in the URL never goes through a lookup, so it is checked here.
  if (isIP(literal) && !allowPrivate && isPrivateAddress(literal)) throw invalidInput(path, 'points to a private or local address');
  return url;
}

/**
 * POSTs a body (webhooks) under the same guard as fetchPublicUrl: the address connected to is the
 * address checked, no redirects, bounded by timeoutMs. Resolves with the status code; the answer's
 * body is read and dropped.
 */
export async function postToPublicUrl(raw: string, body: string, headers: Record<string, string>, options: Omit<FetchOptions, 'maxBytes'>): Promise<number> {
  const url = checkPublicUrl(raw, 'url', options.allowPrivate);
  return new Promise<number>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: checkedLookup(options.resolve ?? systemResolve, options.allowPrivate),
      headers: { 'user-agent': 'Replyby', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (err) => reject(err instanceof Refused ? invalidInput('url', err.message) : err));
    req.end(body);
  });
}

/**
 * GETs an http(s) URL as text: private destinations refused unless allowed, no redirects followed,
 * the body read as a stream and cut off at maxBytes, the whole exchange bounded by timeoutMs.
 */
export async function fetchPublicUrl(raw: string, path: string, options: FetchOptions): Promise<string> {
  const url = checkPublicUrl(raw, path, options.allowPrivate);

  const unprocessable = (message: string) => new DomainError('unprocessable', message, path);
  return new Promise<string>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      agent: false, // no pooled socket: every fetch connects to the address it checked
      lookup: checkedLookup(options.resolve ?? systemResolve, options.allowPrivate),
      headers: { 'user-agent': 'Replyby', accept: 'text/calendar, text/plain;q=0.9, */*;q=0.1' },
      signal: AbortSignal.timeout(options.timeoutMs),
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        req.destroy();
        reject(unprocessable(status >= 300 && status < 400 ? `the server answered ${status} (redirects are not followed)` : `the server answered ${status}`));
        return;
      }
      const tooLarge = () => unprocessable(`larger than ${options.maxBytes} bytes`);
      if (Number(res.headers['content-length'] ?? '0') > options.maxBytes) {
        req.destroy();
        reject(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy();
          reject(tooLarge());
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => reject(unprocessable(`could not fetch: ${err.message}`)));
    });
    req.on('error', (err) => {
      if (err instanceof Refused) reject(invalidInput(path, err.message));
      else if (err.name === 'TimeoutError' || err.name === 'AbortError') reject(unprocessable(`no answer within ${options.timeoutMs} ms`));
      else reject(unprocessable(`could not fetch: ${err.message}`));
    });
    req.end();
  });
}
