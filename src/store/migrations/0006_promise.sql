-- The customer's side of the promise (issue 11).

-- Some request types are for staff only: "urgent" is an urgency, not a kind of request, and a
-- customer choosing it would pick the urgent policy by themselves (review item 2).
ALTER TABLE list_entries ADD COLUMN customer_selectable boolean NOT NULL DEFAULT true;
UPDATE list_entries SET customer_selectable = false WHERE list = 'ticket_type' AND key = 'urgent';

-- Urgency is its own field, stated by the customer and correctable by staff (with an event); a
-- suggestion from the words of the request is kept for triage, never applied by itself.
ALTER TABLE tickets ADD COLUMN urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'high', 'critical'));
ALTER TABLE tickets ADD COLUMN urgency_suggestion text CHECK (urgency_suggestion IN ('low', 'normal', 'high', 'critical'));

-- The promise made to the customer: the current one, the first one (kept for "promises kept"), and
-- how it is described (business or calendar time, the target, "we are back at …").
ALTER TABLE tickets ADD COLUMN promised_reply_at timestamptz;
ALTER TABLE tickets ADD COLUMN original_promised_reply_at timestamptz;
ALTER TABLE tickets ADD COLUMN promise jsonb;
CREATE INDEX tickets_promised_reply_idx ON tickets (promised_reply_at) WHERE promised_reply_at IS NOT NULL;
