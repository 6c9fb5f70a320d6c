-- A million-row import writes every contact index once per row. The unit and township btrees
-- served only the contact list's filters, which page in id order: there the primary key scan
-- with a filter is what the planner picks for common values anyway, and a rare value costs one
-- scan of the table (tens of milliseconds at a county's scale). The GIN index on tags stays:
-- campaign audiences select by tag.
DROP INDEX contact_unit_idx;
DROP INDEX contact_township_idx;
