-- A part is written twice when its receipt comes in a later batch than its submit result (the
-- usual case: receipts follow seconds to hours later). The receipt columns are in no index, so
-- with room left on the page that second write is a HOT update (no new index entries in the
-- primary key or the SMSC id index); at the default fillfactor of 100 the page is full and it never is.
ALTER TABLE receipt_part SET (fillfactor = 80);
