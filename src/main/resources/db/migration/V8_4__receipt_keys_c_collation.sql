-- The receipt sink is CPU-bound in PostgreSQL, and much of a batch is btree work on text keys:
-- the parts' key and SMSC-id index (inserts and probes by upsert, match and recompute), the
-- messages' key and campaign index (probes, inserts), and the sorts of DISTINCT ON / ORDER BY over
-- them. Under the database's default collation (C.UTF-8 for the embedded server, often en_US.UTF-8
-- elsewhere; PostgreSQL treats neither as C) every such comparison goes through strcoll on
-- NUL-terminated copies (~7.5 % of PostgreSQL's CPU in the sink, perf); the "C" collation compares
-- bytes. C.UTF-8 orders by code point, which for UTF-8 is byte order, so nothing sorts differently
-- on the embedded server (the ids are ASCII anyway: channel, SMSC id, event ids, ledger ids as
-- text); it is also Java's String order, in which BatchApplier breaks the same ties in memory. On
-- an en_US server the CSV's message-id order becomes byte order for ids that are not all digits
-- (test sends). Comparisons with the event log's columns (default collation) take the C of these.
-- The event log keeps its key's collation: it is written once per event and never sorted or joined
-- by the sink (tried with it too: V8_2 of 2026-12-06, reverted). The type stays text: the heap is
-- not rewritten, only the indexes on these columns are rebuilt, under the same names.
ALTER TABLE receipt_part
    ALTER COLUMN message_id TYPE text COLLATE "C",
    ALTER COLUMN channel TYPE text COLLATE "C",
    ALTER COLUMN smsc_id TYPE text COLLATE "C",
    ALTER COLUMN submit_event_id TYPE text COLLATE "C",
    ALTER COLUMN receipt_event_id TYPE text COLLATE "C";

ALTER TABLE receipt_message
    ALTER COLUMN message_id TYPE text COLLATE "C",
    ALTER COLUMN channel TYPE text COLLATE "C";

ALTER TABLE receipt_parked
    ALTER COLUMN event_id TYPE text COLLATE "C",
    ALTER COLUMN channel TYPE text COLLATE "C",
    ALTER COLUMN smsc_id TYPE text COLLATE "C",
    ALTER COLUMN message_id TYPE text COLLATE "C";

ALTER TABLE receipt_unmatched
    ALTER COLUMN event_id TYPE text COLLATE "C",
    ALTER COLUMN channel TYPE text COLLATE "C",
    ALTER COLUMN smsc_id TYPE text COLLATE "C",
    ALTER COLUMN message_id TYPE text COLLATE "C";
