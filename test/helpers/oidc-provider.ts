import { createServer, type Server } from 'node:http';
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback for the tests and the browser
 * journey: one confidential client, the accounts the test gives, and a tiny login page (a "Login" field and
 * an "MFA" checkbox) that signs in whoever is typed; consent is granted without asking.
 */
export type TestAccount = { email: string; email_verified?: boolean; name?: string; groups?: string[] };

export type TestOidcProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** Rewrites the next ID tokens the token endpoint answers with (re-signed with the provider's own key unless `foreignKey`). */
  tamper: ((claims: Record<string, unknown>) => Record<string, unknown>) | null;
  foreignKey: boolean;
  close: () => Promise<void>;
};

const b64url = (v: object | Buffer): string => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

function resign(idToken: string, claims: Record<string, unknown>, jwk: JsonWebKey): string {
  const [header] = idToken.split('.');
  const data = `${header}.${b64url(claims)}`;
  return `${data}.${sign('sha256', Buffer.from(data), createPrivateKey({ key: jwk, format: 'jwk' })).toString('base64url')}`;
}

const page = (body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body><main>${body}</main></body></html>`;

export async function startTestOidcProvider(redirectUris: string[], opts: { clientId?: string; clientSecret?: string } = {}): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? 'replyby-test';
  const clientSecret = opts.clientSecret ?? 'test-client-secret-0123456789';
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = { ...key.privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const state: TestOidcProvider = { issuer, clientId, clientSecret, accounts, tamper: null, foreignKey: false, close: async () => undefined };

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    claims: { acr: null, auth_time: null, openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // Claims in the ID token itself (Replyby reads the userinfo answer too when they are missing).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.email_verified ?? true, name: account.name ?? id, groups: account.groups ?? [] }) };
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | null;
    if (ctx.path === '/token' && body?.id_token && state.tamper) {
      const [, payload] = body.id_token.split('.');
      const claims = state.tamper(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>);
      body.id_token = resign(body.id_token, claims, state.foreignKey ? foreign : privateJwk);
    }
  });
  const callback = provider.callback();
  handler = (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return callback(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          if (req.method === 'POST') {
            let raw = '';
            for await (const chunk of req) raw += String(chunk);
            const form = new URLSearchParams(raw);
            const login = form.get('login') ?? '';
            await provider.interactionFinished(req, res, { login: { accountId: login, amr: form.get('mfa') ? ['pwd', 'otp'] : ['pwd'] } }, { mergeWithLastSubmission: false });
            return;
          }
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(page(`<h1>Test identity provider</h1><form method="post" action="/interaction/${details.uid}">
            <label for="login">Login</label> <input id="login" name="login" autocomplete="username" required>
            <label><input type="checkbox" name="mfa" value="1"> Used a second factor</label>
            <button type="submit">Sign in</button></form>`));
          return;
        }
        // Consent: granted at once for what the client asked.
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session?.accountId ?? '', clientId: details.params.client_id });
        if (!grant) throw new Error('grant not found');
        const missingScope = details.prompt.details.missingOIDCScope as string[] | undefined;
        const missingClaims = details.prompt.details.missingOIDCClaims as string[] | undefined;
        if (missingScope) grant.addOIDCScope(missingScope.join(' '));
        if (missingClaims) grant.addOIDCClaims(missingClaims);
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  };
  state.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return state;
}

/**
 * The browser's part for HTTP tests: follows the provider's redirects with a cookie jar, types `login` into
 * the login page, and stops at the first redirect to `redirectUri` — the callback URL with code and state.
 */
export async function loginAtProvider(authorizationUrl: string, redirectUri: string, login: string, opts: { mfa?: boolean } = {}): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response): void => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  let url = authorizationUrl;
  let body: string | null = null;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method: body === null ? 'GET' : 'POST', redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body === null ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body === null ? {} : { body }),
    });
    remember(res);
    body = null;
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html);
    if (res.status !== 200 || !action?.[1]) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 300)}`);
    url = new URL(action[1], url).href;
    body = new URLSearchParams({ login, ...(opts.mfa ? { mfa: '1' } : {}) }).toString();
  }
  throw new Error('too many redirects at the provider');
}
