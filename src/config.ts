import { z } from 'zod';
import path from 'node:path';

// The only reader of process.env: validated once, fails fast with the variable's name.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  REPLYBY_DATA_DIR: z.string().min(1).default('./data'),
  REPLYBY_SKIP_MIGRATIONS: z.enum(['0', '1', 'true', 'false']).default('0'),
  REPLYBY_SEED_DEMO: z.enum(['0', '1', 'true', 'false']).default('1'),
  REPLYBY_PUBLIC_URL: z.string().url().optional(),
  REPLYBY_TICKET_PREFIX: z.string().max(8).default('#'),
  REPLYBY_SMTP_URL: z.string().url().optional(),
  REPLYBY_MAIL_FROM: z.string().min(3).default('Replyby <support@replyby.localhost>'),
  // Inbound e-mail (issue 8): the SMTP listener is off unless a port is given.
  REPLYBY_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REPLYBY_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  REPLYBY_SUPPORT_ADDRESS: z.string().trim().toLowerCase().email('must be an e-mail address').optional(),
  REPLYBY_MAIL_MAX_BYTES: z.coerce.number().int().min(1024).default(30 * 1024 * 1024),
  // One or more mailboxes, comma-separated: imap://user:password@host:993/INBOX (imaps:// for TLS).
  REPLYBY_IMAP_URLS: z.string().optional(),
  REPLYBY_RATE_LIMIT_PUBLIC: z.coerce.number().int().min(1).default(20),
  REPLYBY_RATE_LIMIT_SIGN_IN: z.coerce.number().int().min(1).default(10),
  // Off by default: X-Forwarded-For is only believed behind a known proxy (rate limits key on the client IP).
  REPLYBY_TRUST_PROXY: z.string().regex(/^(0|1|true|false|[0-9a-fA-F.:/,\s]+)$/, 'must be 0/1 or comma-separated proxy addresses/CIDRs').default('0'),
  REPLYBY_ALLOW_PRIVATE_URLS: z.enum(['0', '1', 'true', 'false']).default('0'),
  // Messenger channels (issue 20): where the Telegram Bot API is (a local Bot API server, or a test stand-in).
  REPLYBY_TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  REPLYBY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  // Which parts this process runs: the HTTP server (web) and/or the SLA monitor + outbox (worker).
  REPLYBY_ROLES: z.string().regex(/^\s*(web|worker)\s*(,\s*(web|worker)\s*)*$/, 'must be a comma-separated list of web, worker').default('web,worker'),
  REPLYBY_DIGEST_WINDOW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
  REPLYBY_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
  // How long a claimed outbox job stays claimed: a crashed worker's jobs are taken up again after this.
  REPLYBY_OUTBOX_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  REPLYBY_MONITOR_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  REPLYBY_SURGE_DETECTION: z.enum(['0', '1', 'true', 'false']).default('1'),
  // Inbound e-mail limits (issue 8): one attachment, all of a mail's attachments, acknowledgements per sender an hour.
  REPLYBY_MAIL_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  REPLYBY_MAIL_ATTACHMENTS_TOTAL_MAX_BYTES: z.coerce.number().int().min(1024).max(4 * 1024 * 1024 * 1024).default(25 * 1024 * 1024),
  REPLYBY_ACK_PER_SENDER_PER_HOUR: z.coerce.number().int().min(0).max(10_000).default(5),
  // Attachments (review item 11): the two size limits above apply to uploads too (web form, portal, agents); this caps the count per message.
  REPLYBY_ATTACHMENTS_MAX_COUNT: z.coerce.number().int().min(1).max(100).default(10),
  // Slow clients (issue 21 item 7; docs/security.md): headers within, a stalled body dropped after, the whole request within.
  REPLYBY_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REPLYBY_BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REPLYBY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  // Live-update streams one session may hold open at once (per process); one more is answered 429.
  REPLYBY_STREAMS_PER_SESSION: z.coerce.number().int().min(1).max(1000).default(10),
  // Inbound SMTP checks SPF, DKIM and DMARC (on by default; 0 for local development without DNS).
  REPLYBY_MAIL_AUTH: z.enum(['0', '1', 'true', 'false']).default('1'),
  // IMAP: the authserv-id of the receiving server whose Authentication-Results header is believed (e.g. mx.google.com).
  REPLYBY_MAIL_TRUSTED_AUTHSERV_ID: z.string().trim().min(1).max(255).optional(),
  // Single sign-on for staff (issue 21 item 1; docs/security.md): on when the issuer, client id and secret are set.
  REPLYBY_OIDC_ISSUER: z.string().url().optional(),
  REPLYBY_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  REPLYBY_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  REPLYBY_OIDC_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  REPLYBY_OIDC_REDIRECT_URL: z.string().url().optional(),
  REPLYBY_OIDC_SCOPES: z.string().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be space-separated scopes').default('openid email profile'),
  REPLYBY_OIDC_EMAIL_CLAIM: z.string().min(1).max(100).default('email'),
  REPLYBY_OIDC_ROLE_CLAIM: z.string().min(1).max(100).default('groups'),
  // Comma-separated value=role pairs, e.g. helpdesk-admins=admin,helpdesk-leads=supervisor.
  REPLYBY_OIDC_ROLE_MAP: z.string().regex(/^\s*([^=,]+=(agent|supervisor|admin)\s*(,\s*[^=,]+=(agent|supervisor|admin)\s*)*)?$/, 'must be comma-separated value=agent|supervisor|admin pairs').default(''),
  REPLYBY_OIDC_CREATE_USERS: z.enum(['0', '1', 'true', 'false']).default('0'),
  REPLYBY_OIDC_DEFAULT_ROLE: z.enum(['agent', 'supervisor', 'admin']).default('agent'),
  REPLYBY_OIDC_TRUST_MFA: z.enum(['0', '1', 'true', 'false']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  skipMigrations: boolean;
  seedDemo: boolean;
  publicUrl: string | undefined;
  ticketPrefix: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  smtpListen: { port: number; host: string } | null;
  supportAddress: string | undefined;
  mailMaxBytes: number;
  imapUrls: string[];
  rateLimitPublicPerMinute: number;
  rateLimitSignInPerMinute: number;
  bodyLimitBytes: number;
  allowPrivateUrls: boolean;
  telegramApiUrl: string;
  /** Fastify's trustProxy: false, true, or the proxies' addresses/CIDRs. */
  trustProxy: boolean | string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  roles: { web: boolean; worker: boolean };
  digestWindowMs: number;
  /** Requests per minute an API token may make unless an admin set its own limit (docs/integrations.md). */
  tokenRateLimitPerMinute: number;
  monitorConcurrency: number;
  outboxLockSeconds: number;
  /** The worker detects surges by itself (docs/surge.md); off, only supervisors declare them. */
  surgeDetection: boolean;
  email: { attachmentMaxBytes: number; attachmentsTotalMaxBytes: number; acknowledgementsPerSenderPerHour: number; attachmentsMaxCount: number };
  clientTimeouts: { headersMs: number; bodyIdleMs: number; requestMs: number };
  streamsPerSession: number;
  mailAuth: { smtp: boolean; trustedAuthservId: string | undefined };
  /** Single sign-on (docs/security.md), or null when REPLYBY_OIDC_ISSUER is not set. */
  oidc: {
    name: string; issuer: string; clientId: string; clientSecret: string; redirectUrl: string; scopes: string; emailClaim: string; roleClaim: string;
    roleMap: { value: string; role: 'agent' | 'supervisor' | 'admin' }[]; createUsers: boolean; defaultRole: 'agent' | 'supervisor' | 'admin'; trustProviderMfa: boolean;
  } | null;
};

const truthy = (v: string): boolean => v === '1' || v === 'true';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue ? issue.path.join('.') : 'environment';
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.REPLYBY_DATA_DIR),
    skipMigrations: truthy(e.REPLYBY_SKIP_MIGRATIONS),
    seedDemo: truthy(e.REPLYBY_SEED_DEMO),
    publicUrl: e.REPLYBY_PUBLIC_URL,
    ticketPrefix: e.REPLYBY_TICKET_PREFIX,
    smtpUrl: e.REPLYBY_SMTP_URL,
    mailFrom: e.REPLYBY_MAIL_FROM,
    smtpListen: e.REPLYBY_SMTP_PORT === undefined ? null : { port: e.REPLYBY_SMTP_PORT, host: e.REPLYBY_SMTP_HOST },
    supportAddress: e.REPLYBY_SUPPORT_ADDRESS,
    mailMaxBytes: e.REPLYBY_MAIL_MAX_BYTES,
    imapUrls: parseImapUrls(e.REPLYBY_IMAP_URLS),
    rateLimitPublicPerMinute: e.REPLYBY_RATE_LIMIT_PUBLIC,
    rateLimitSignInPerMinute: e.REPLYBY_RATE_LIMIT_SIGN_IN,
    bodyLimitBytes: e.REPLYBY_BODY_LIMIT_BYTES,
    allowPrivateUrls: truthy(e.REPLYBY_ALLOW_PRIVATE_URLS),
    telegramApiUrl: e.REPLYBY_TELEGRAM_API_URL.replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(e.REPLYBY_TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    roles: { web: /\bweb\b/.test(e.REPLYBY_ROLES), worker: /\bworker\b/.test(e.REPLYBY_ROLES) },
    digestWindowMs: e.REPLYBY_DIGEST_WINDOW_SECONDS * 1000,
    tokenRateLimitPerMinute: e.REPLYBY_TOKEN_RATE_LIMIT,
    monitorConcurrency: e.REPLYBY_MONITOR_CONCURRENCY,
    outboxLockSeconds: e.REPLYBY_OUTBOX_LOCK_SECONDS,
    surgeDetection: truthy(e.REPLYBY_SURGE_DETECTION),
    email: {
      attachmentMaxBytes: e.REPLYBY_MAIL_ATTACHMENT_MAX_BYTES,
      attachmentsTotalMaxBytes: e.REPLYBY_MAIL_ATTACHMENTS_TOTAL_MAX_BYTES,
      acknowledgementsPerSenderPerHour: e.REPLYBY_ACK_PER_SENDER_PER_HOUR,
      attachmentsMaxCount: e.REPLYBY_ATTACHMENTS_MAX_COUNT,
    },
    clientTimeouts: { headersMs: e.REPLYBY_HEADERS_TIMEOUT_MS, bodyIdleMs: e.REPLYBY_BODY_IDLE_TIMEOUT_MS, requestMs: e.REPLYBY_REQUEST_TIMEOUT_MS },
    streamsPerSession: e.REPLYBY_STREAMS_PER_SESSION,
    mailAuth: { smtp: truthy(e.REPLYBY_MAIL_AUTH), trustedAuthservId: e.REPLYBY_MAIL_TRUSTED_AUTHSERV_ID?.toLowerCase() },
    oidc: parseOidc(e),
  };
}

function parseOidc(e: z.infer<typeof envSchema>): Config['oidc'] {
  if (!e.REPLYBY_OIDC_ISSUER) return null;
  if (!e.REPLYBY_OIDC_CLIENT_ID) throw new ConfigError('REPLYBY_OIDC_CLIENT_ID: required when REPLYBY_OIDC_ISSUER is set');
  if (!e.REPLYBY_OIDC_CLIENT_SECRET) throw new ConfigError('REPLYBY_OIDC_CLIENT_SECRET: required when REPLYBY_OIDC_ISSUER is set');
  const publicUrl = (e.REPLYBY_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const roleMap = e.REPLYBY_OIDC_ROLE_MAP.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const at = pair.lastIndexOf('=');
    return { value: pair.slice(0, at).trim(), role: pair.slice(at + 1).trim() as 'agent' | 'supervisor' | 'admin' };
  });
  return {
    name: e.REPLYBY_OIDC_NAME, issuer: e.REPLYBY_OIDC_ISSUER, clientId: e.REPLYBY_OIDC_CLIENT_ID, clientSecret: e.REPLYBY_OIDC_CLIENT_SECRET,
    redirectUrl: e.REPLYBY_OIDC_REDIRECT_URL ?? `${publicUrl}/api/v1/auth/oidc/callback`, scopes: e.REPLYBY_OIDC_SCOPES,
    emailClaim: e.REPLYBY_OIDC_EMAIL_CLAIM, roleClaim: e.REPLYBY_OIDC_ROLE_CLAIM, roleMap,
    createUsers: truthy(e.REPLYBY_OIDC_CREATE_USERS), defaultRole: e.REPLYBY_OIDC_DEFAULT_ROLE, trustProviderMfa: truthy(e.REPLYBY_OIDC_TRUST_MFA),
  };
}

function parseTrustProxy(v: string): boolean | string {
  if (v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  return v;
}

function parseImapUrls(v: string | undefined): string[] {
  const urls = (v ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    let ok = false;
    try {
      ok = ['imap:', 'imaps:'].includes(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError('REPLYBY_IMAP_URLS: each entry must be an imap:// or imaps:// URL');
  }
  return urls;
}
