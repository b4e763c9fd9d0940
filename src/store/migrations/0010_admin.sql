-- Staff "forgot password": one-time reset links e-mailed to the user's own address. Like sign-in
-- links, only the SHA-256 of the token is stored and it is minted when the mail is rendered.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id) WHERE used_at IS NULL;
