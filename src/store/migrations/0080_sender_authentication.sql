-- Issue 21 item 7: inbound mail's SPF/DKIM/DMARC facts and the verdict drawn from them, kept with the raw
-- message; a ticket opened by mail whose From address nothing vouched for is flagged for agents.
ALTER TABLE inbound_mail ADD COLUMN auth jsonb;
ALTER TABLE tickets ADD COLUMN sender_unverified boolean NOT NULL DEFAULT false;
