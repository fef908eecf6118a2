-- Income collection across every stream, and the age of the debt.
--
-- The Collection sheet takes any stream by name (council tax, business rates, adult social care charges, sundry
-- debt, commercial property rents, housing benefit overpayments, or the council's own), so the CHECK on the stream
-- goes; the upload checks it is non-blank text. New optional columns, in £ like the rest: arrears brought forward
-- at 1 April, arrears collected to date, and write-offs to date (NULL = not given, never zero). `arrears_gbp` keeps
-- its meaning: arrears outstanding at the end of the period. DuckDB cannot change a CHECK in place, so the tables
-- are rebuilt with the same columns first and their rows copied.
CREATE TABLE monitoring_collection_160 (
    upload_id                    BIGINT NOT NULL,
    source_id                    BIGINT NOT NULL,
    period                       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row                    INTEGER NOT NULL,
    stream                       VARCHAR NOT NULL CHECK (length(trim(stream)) > 0),
    collectable_gbp              DECIMAL(18, 2) NOT NULL,
    collected_gbp                DECIMAL(18, 2) NOT NULL,  -- cumulative to the end of the period
    arrears_gbp                  DECIMAL(18, 2),           -- outstanding at the end of the period
    arrears_brought_forward_gbp  DECIMAL(18, 2),           -- outstanding at 1 April
    arrears_collected_gbp        DECIMAL(18, 2),           -- of the arrears brought forward, cumulative
    write_offs_gbp               DECIMAL(18, 2)            -- cumulative to the end of the period
);
INSERT INTO monitoring_collection_160 (upload_id, source_id, period, sheet_row, stream, collectable_gbp,
                                       collected_gbp, arrears_gbp)
SELECT upload_id, source_id, period, sheet_row, stream, collectable_gbp, collected_gbp, arrears_gbp
FROM monitoring_collection;
DROP TABLE monitoring_collection;
ALTER TABLE monitoring_collection_160 RENAME TO monitoring_collection;

-- The optional Debt sheet: the debt outstanding by stream and age band at the end of the period, and the bad-debt
-- provision held against it. The bands of a stream add up to its in-year debt plus its arrears (checked on upload).
CREATE TABLE monitoring_debt (
    upload_id     BIGINT NOT NULL,
    source_id     BIGINT NOT NULL,
    period        INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row     INTEGER NOT NULL,
    stream        VARCHAR NOT NULL CHECK (length(trim(stream)) > 0),
    age_band      VARCHAR NOT NULL CHECK (age_band IN ('0-30 days', '31-90 days', '91-365 days', '1-2 years',
                                                       'Over 2 years')),
    balance_gbp   DECIMAL(18, 2) NOT NULL CHECK (balance_gbp >= 0),
    provision_gbp DECIMAL(18, 2) CHECK (provision_gbp >= 0)
);

CREATE TABLE monitoring_upload_sheet_160 (
    upload_id   BIGINT NOT NULL,
    sheet       VARCHAR NOT NULL CHECK (sheet IN ('Revenue', 'Savings', 'Collection', 'DSG', 'Reserves', 'Capital',
                                                  'Debt')),
    period      INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_title VARCHAR NOT NULL,
    line_count  INTEGER NOT NULL CHECK (line_count > 0),
    PRIMARY KEY (upload_id, sheet, period)
);
INSERT INTO monitoring_upload_sheet_160 SELECT * FROM monitoring_upload_sheet;
DROP VIEW monitoring_current;
DROP TABLE monitoring_upload_sheet;
ALTER TABLE monitoring_upload_sheet_160 RENAME TO monitoring_upload_sheet;
CREATE VIEW monitoring_current AS
SELECT u.authority_code, u.financial_year, s.period, s.sheet, max(u.upload_id) AS upload_id
FROM monitoring_upload u
JOIN monitoring_upload_sheet s USING (upload_id)
WHERE u.status = 'active'
GROUP BY u.authority_code, u.financial_year, s.period, s.sheet;

-- What the upload's Instructions sheet states as the council's share of the collection fund (%), 0-100: a council
-- tax or business rates shortfall falls on the council at that share. NULL = not stated (shown as 100%, with a note).
-- (checked on upload: DuckDB cannot add a column with a CHECK)
ALTER TABLE monitoring_upload ADD COLUMN collection_fund_share_pct DECIMAL(6, 3);
