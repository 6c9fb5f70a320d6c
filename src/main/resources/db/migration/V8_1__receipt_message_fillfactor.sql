-- A message's row is updated when a later batch brings more of its parts or receipts (a multipart
-- message's parts travel on different partitions, keyed by SMSC id): about one update per two
-- inserts in the sink benchmark. At the default fillfactor of 100 the page is full and every such
-- update is a new row version elsewhere with new entries in all its indexes; with room left on the
-- page, an update that changes no indexed column (e.g. a part's receipt counted while the message
-- stays submitted) is HOT. Only pages written from now on keep the room.
ALTER TABLE receipt_message SET (fillfactor = 85);
