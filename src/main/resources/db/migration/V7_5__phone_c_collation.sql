-- Phone numbers are E.164 ('+' and digits), compared only for equality and paged in code-point
-- order. Under the database's default collation (C.UTF-8 for the embedded server, often
-- en_US.UTF-8 elsewhere) every comparison in their btrees goes through strcoll; the "C"
-- collation compares bytes. The same order for these strings, fewer CPU cycles per index
-- descent: each ledger row inserts into message_phone_idx and its audience row probes it and
-- opt_out, and each imported contact probes and inserts into contact's phone key. All three
-- columns change together, as joins compare them with one another. Only indexes are rebuilt
-- (the type stays text, so the heap is not rewritten).
ALTER TABLE contact ALTER COLUMN phone TYPE text COLLATE "C";
ALTER TABLE opt_out ALTER COLUMN phone TYPE text COLLATE "C";
ALTER TABLE message ALTER COLUMN phone TYPE text COLLATE "C";
