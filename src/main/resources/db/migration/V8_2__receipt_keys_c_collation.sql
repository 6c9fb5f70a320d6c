-- The receipt sink is CPU-bound in PostgreSQL, and much of a batch is btree work on text keys:
-- the event log's key (2,000 inserts a batch), the parts' key and SMSC-id index (inserts and
-- probes), the messages' key and campaign index (upsert probes, inserts, snapshot), and the sorts
-- of DISTINCT ON / ORDER BY over them. Under the database's default collation (C.UTF-8 for the
-- embedded server, often en_US.UTF-8 elsewhere; PostgreSQL treats neither as C) every comparison
-- in those btrees and sorts goes through strcoll on NUL-terminated copies, and sorts get no
-- abbreviated keys; the "C" collation compares bytes. C.UTF-8 orders by code point, which for
-- UTF-8 is byte order: on the embedded server nothing sorts differently (ids are ASCII anyway:
-- channel, SMSC id, event ids built from them, ledger ids as text). It is also Java's String
-- order, in which BatchApplier breaks the same ties in memory; on an en_US server the CSV's
-- message-id order would now be byte order for ids that are not all digits (test sends).
-- Equality, the only comparison between these columns across tables, gives the same result in
-- both collations. The type stays text: the heap is not rewritten, only the indexes on these
-- columns are rebuilt (under the same names; ReceiptStore.EVENT_LOG_KEY names the log's key).
ALTER TABLE receipt_event_log ALTER COLUMN event_id TYPE text COLLATE "C";

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
