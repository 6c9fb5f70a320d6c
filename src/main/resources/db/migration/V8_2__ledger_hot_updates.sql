-- Each ledger row is updated twice after its insert: the claim (queued -> submitting) and the
-- outcome (submitting -> submitted/failed). Neither was a HOT update: two partial indexes
-- name status (and leased_at) in their predicate or key, so every update wrote a new row version
-- (on another page: at fillfactor 100 the pages were full) plus an entry in each of the four
-- full indexes and in the partial ones it matched (about 7.4 WAL records per claimed row and 5.7
-- per outcome in the end-to-end benchmark; n_tup_hot_upd was 0).
-- With no indexed column changed and room on the page, an update is HOT: the new version goes
-- beside the old one on the same page and no index is touched.

-- The open-message index served only the completion check; it now scans message_campaign_idx
-- from the smallest id still open at its previous look (a low-water mark the scheduler keeps,
-- safe because a message never leaves a final status), see CampaignStore.openFrom.
DROP INDEX message_open_idx;

-- The in-flight index served only the stuck-submitting sweep; it now finds its candidates
-- through message_lease below.
DROP INDEX message_submitting_idx;

-- One row per claim statement: the ids it moved to submitting and the database time of the
-- claim (message.leased_at of each of them, the same now()). The claim is the only way into
-- submitting, so every message in submitting has a lease row with its own leased_at; the sweep
-- reads the lease rows older than its cutoff, checks their messages by primary key, and deletes
-- them (a message claimed again since is in a newer lease). A row per claim of up to a few
-- hundred messages costs far less than an index entry per message and update.
CREATE TABLE message_lease (
    id         BIGSERIAL   PRIMARY KEY,
    leased_at  TIMESTAMPTZ NOT NULL,
    ids        BIGINT[]    NOT NULL
);
CREATE INDEX message_lease_leased_at_idx ON message_lease (leased_at);

-- Each row gets two more versions (claim, outcome), each longer than the one before (claimed_at,
-- leased_at; then submitted_at, smsc_ids). The free room must hold the claim's versions of a
-- page's rows beside the inserted ones (a claim of 200 ids updates whole pages in one statement,
-- so nothing on them is dead yet), and after the claim commits, opportunistic pruning (tried
-- whenever a page has less free space than the fillfactor keeps) frees the inserted versions for
-- the outcome's. Measured with the bench's text and the sender's pattern (claims of 200, outcomes
-- of 50) over 4,000 fresh rows: at fillfactor 50 a quarter of the outcomes found no room and moved
-- to another page (non-HOT, and the table grew to 264 pages from 200 inserted), at 45 an eighth,
-- at 40 none (250 pages, all updates on the page). Only pages written from now on keep the room;
-- rows on older, full pages stay non-HOT until those pages are rewritten.
ALTER TABLE message SET (fillfactor = 40);
