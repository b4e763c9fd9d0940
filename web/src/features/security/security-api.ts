import { call, client, type Principal } from '../../lib/api.ts';

// Single sign-on and two-factor sign-in (docs/security.md).
export type Enrolment = { secret: string; otpauth_uri: string; qr_svg: string };
export type TwoFactorStatus = { enabled: boolean; required: boolean; recovery_codes_left: number };
export type SignedIn = { token: string; principal: Principal; recovery_codes?: string[] };

/** The challenge is omitted after single sign-on: the server keeps it in an httpOnly cookie. */
const withChallenge = (challenge: string | null) => (challenge ? { challenge } : {});

export const securityApi = {
  providers: () => call<{ oidc: { name: string; start_url: string } | null }>(client.GET('/api/v1/auth/providers')),
  completeSignIn: (challenge: string | null, answer: { code: string } | { recovery_code: string }) =>
    call<SignedIn>(client.POST('/api/v1/auth/two-factor', { body: { ...withChallenge(challenge), ...answer } as { challenge: string } })),
  enrolAtSignIn: (challenge: string | null) =>
    call<Enrolment>(client.POST('/api/v1/auth/two-factor/enrolment', { body: withChallenge(challenge) } as never)),
  status: () => call<TwoFactorStatus>(client.GET('/api/v1/me/two-factor')),
  startEnrolment: () => call<Enrolment>(client.POST('/api/v1/me/two-factor/enrolment')),
  confirmEnrolment: (code: string) => call<{ recovery_codes: string[] }>(client.POST('/api/v1/me/two-factor/confirm', { body: { code } })),
};
