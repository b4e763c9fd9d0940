-- Issue 21 items 1-2: single sign-on (OpenID Connect) and two-factor sign-in (TOTP) for staff.

-- One TOTP secret per user: pending (enabled_at NULL) until a code confirms it. last_step is the last
-- 30-second step a code was accepted for: a code of that step or an earlier one is refused (no replay).
CREATE TABLE user_totp (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret text NOT NULL,
  enabled_at timestamptz,
  last_step bigint,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL
);

-- Ten one-time recovery codes per enrolment; only their SHA-256 is kept.
CREATE TABLE user_recovery_codes (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- A sign-in that passed its first factor (password or the identity provider) and waits for the second.
CREATE TABLE sign_in_challenges (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  via text NOT NULL CHECK (via IN ('password', 'oidc')),
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (user_id);

-- An OpenID Connect sign-in in flight: the state the provider must send back (stored hashed), the PKCE
-- verifier and the nonce. Deleted when the callback arrives, so a state works once.
CREATE TABLE oidc_logins (
  state_hash text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  next text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
