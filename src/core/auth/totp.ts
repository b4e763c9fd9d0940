import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app understands: SHA-1, six digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

export type TotpParams = { algorithm?: 'SHA1' | 'SHA256' | 'SHA512'; digits?: number; period?: number };

const totpOf = (secretBase32: string, p: TotpParams = {}): TOTP =>
  new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: p.algorithm ?? 'SHA1', digits: p.digits ?? TOTP_DIGITS, period: p.period ?? TOTP_PERIOD_SECONDS });

/** A new random secret (160 bits, RFC 4226's recommendation), base32. `random` is the bytes (the caller's entropy). */
export const totpSecretFromBytes = (random: Uint8Array): string => new Secret({ buffer: random.slice().buffer }).base32;

/** The code for the instant `at`. */
export const totpCode = (secretBase32: string, at: Date, p: TotpParams = {}): string => totpOf(secretBase32, p).generate({ timestamp: at.getTime() });

/** The time step a code belongs to. */
export const totpStep = (at: Date, period = TOTP_PERIOD_SECONDS): number => Math.floor(at.getTime() / 1000 / period);

/**
 * The step a code matches within ±1 step of `at` (clock drift between phone and server), or null.
 * A caller refuses a step at or before the last one it accepted, so a code cannot be used twice.
 */
export function matchTotp(secretBase32: string, code: string, at: Date, p: TotpParams = {}): number | null {
  const digits = p.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) return null;
  const delta = totpOf(secretBase32, p).validate({ token: code, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : totpStep(at, p.period ?? TOTP_PERIOD_SECONDS) + delta;
}

/** The otpauth:// URI an authenticator app reads (from a QR code or typed in). */
export const totpUri = (secretBase32: string, issuer: string, account: string): string =>
  new TOTP({ issuer, label: account, secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS }).toString();

/** Recovery codes are typed by people: ten characters in two groups, without 0/O/1/I/L. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export function recoveryCodeFromBytes(random: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[(random[i] ?? 0) % RECOVERY_ALPHABET.length];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** What a person typed, as stored: lower case, no spaces or dashes. */
export const normaliseRecoveryCode = (typed: string): string => typed.trim().toLowerCase().replace(/[\s-]/g, '');
