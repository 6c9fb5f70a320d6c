-- The dispatch ledger is written a million rows at a time (expansion) and each row is
-- updated twice more (claim, outcome). Every index and constraint on it costs on each of
-- those writes, so it keeps only what a query needs.

-- A per-row foreign-key check cost about 40 % of a bulk page insert. Campaign rows are never
-- deleted, and a page is inserted in the transaction that has just updated (and so locked)
-- its campaign's checkpoint row, so the reference holds without the trigger.
ALTER TABLE message DROP CONSTRAINT message_campaign_id_fkey;

-- (status, id) held every ledger row to serve one query: the sweep for messages left in
-- 'submitting' by a crashed sender. A partial index holds only the rows in flight, so a
-- queued insert does not touch it.
DROP INDEX message_status_idx;
CREATE INDEX message_submitting_idx ON message (leased_at) WHERE status = 'submitting';
