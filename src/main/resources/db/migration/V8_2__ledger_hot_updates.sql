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
