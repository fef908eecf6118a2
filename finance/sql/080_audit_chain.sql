-- The audit trail as a hash chain (issue 16, finance/audit_chain.py): each row carries the sha256 of the row before
-- it and its own, over its canonical content. Rows written before this migration are chained by Store.open
-- (oldest first, from the genesis hash) in one transaction; every row written after gets both in its own write's
-- transaction. No code path updates or deletes an audit row (Tx refuses any statement that would).
ALTER TABLE audit_log ADD COLUMN prev_sha256 VARCHAR;
ALTER TABLE audit_log ADD COLUMN sha256 VARCHAR;
