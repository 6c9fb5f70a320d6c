-- A message's row is updated when a later batch brings more of its parts or receipts, typically
-- once: its status leaves 'submitted'. The partial index of open messages named status in its
-- predicate, so every such update was a new row version on another page with new entries in all
-- three indexes (about 25,000 of the 30,000 updates in the sink benchmark). The unknown sweep,
-- its only reader, now walks a plain index on submitted_at from a persisted mark instead (below),
-- and status is in no index: with room left on the page, the update stays on it (HOT).
DROP INDEX receipt_message_open_idx;
CREATE INDEX receipt_message_submitted_idx ON receipt_message (submitted_at);
-- Room on each page for the new versions of its rows (only pages written from now on keep it).
ALTER TABLE receipt_message SET (fillfactor = 70);

-- How far the unknown sweep has looked: every message submitted before `through` that was still
-- open when a sweep looked has been made unknown, and a message created later with an older
-- submit time is created unknown. The sweep reads from a margin before it (a batch in flight
-- when the mark moved may still commit an open message just above its own, older cutoff).
CREATE TABLE receipt_unknown_mark (
    id       INT         PRIMARY KEY CHECK (id = 1),
    through  TIMESTAMPTZ NOT NULL
);
INSERT INTO receipt_unknown_mark (id, through) VALUES (1, '-infinity');
