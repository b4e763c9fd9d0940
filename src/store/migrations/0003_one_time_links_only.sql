-- The web form used to answer with a reusable 90-day sign-in link for whatever address was typed
-- into it, so anyone could sign in as an existing customer. Sign-in links now travel by e-mail only
-- and work once. Links handed out the old way are voided, and customer sessions are ended, since any
-- of them may have been opened through such a link; customers sign in again (password or e-mail).
UPDATE magic_links SET expires_at = LEAST(expires_at, created_at) WHERE reusable;
DELETE FROM sessions WHERE principal_kind = 'contact';
ALTER TABLE magic_links DROP COLUMN reusable;
