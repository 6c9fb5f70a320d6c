-- receipt_message's two secondary B-trees go, for BRIN indexes on the same columns.
--
-- Every message row paid an entry in both B-trees when inserted, and every update that changed one
-- of their columns (submitted_at moves when a message's earlier part arrives later) could not be
-- HOT, so it paid a new entry in all three indexes. sink-profile.sh (2026-12-07): 13,412 of 30,419
-- message updates were not HOT; with BRIN all 30,427 were (PostgreSQL 16+ does not count
-- summarising indexes against HOT), and the recompute statement wrote 191,544 WAL records per run
-- instead of 352,382.
--
-- Their readers take ranges that follow insertion order: the unknown sweep reads messages
-- submitted since its mark (submitted_at grows with the table), and a campaign's messages are
-- inserted while it sends (the CSV export reads them once, through a cursor, and sorts them).
-- autosummarize: a block range is summarised as soon as it fills, not at the next VACUUM.
DROP INDEX receipt_message_campaign_idx;
DROP INDEX receipt_message_submitted_idx;
CREATE INDEX receipt_message_campaign_brin ON receipt_message USING brin (campaign_id) WITH (autosummarize = on);
CREATE INDEX receipt_message_submitted_brin ON receipt_message USING brin (submitted_at) WITH (autosummarize = on);
