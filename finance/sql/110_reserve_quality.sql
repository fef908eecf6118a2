-- Reserve quality (issue 18): what each reserve is for, whether an earmarked reserve is already committed, and the
-- planned use of each reserve over the MTFS years.
--
-- The Reserves sheet gains two optional columns: Purpose (free text) and Status (earmarked reserves only:
-- Committed or Uncommitted; NULL = not stated). DuckDB cannot add a CHECK to a table in place, so the table is
-- rebuilt with the same columns plus the two new ones, and its rows copied (as 065 did).
CREATE TABLE monitoring_reserves_110 (
    upload_id        BIGINT NOT NULL,
    source_id        BIGINT NOT NULL,
    period           INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row        INTEGER NOT NULL,
    reserve          VARCHAR NOT NULL,
    reserve_type     VARCHAR NOT NULL CHECK (reserve_type IN ('Unallocated', 'Earmarked', 'Ring-fenced')),
    opening_gbp      DECIMAL(18, 2) NOT NULL,
    forecast_use_gbp DECIMAL(18, 2) NOT NULL,        -- positive = drawn down, negative = contribution
    closing_gbp      DECIMAL(18, 2) NOT NULL,        -- opening − forecast use (checked on upload)
    purpose          VARCHAR,
    status           VARCHAR CHECK (status IN ('Committed', 'Uncommitted')),
    CHECK (status IS NULL OR reserve_type = 'Earmarked')
);
INSERT INTO monitoring_reserves_110
SELECT upload_id, source_id, period, sheet_row, reserve, reserve_type, opening_gbp, forecast_use_gbp, closing_gbp,
       NULL, NULL
FROM monitoring_reserves;
DROP TABLE monitoring_reserves;
ALTER TABLE monitoring_reserves_110 RENAME TO monitoring_reserves;

-- The optional Reserve plan sheet: one row per reserve and MTFS year. Like an MTFS sheet it is not per period: the
-- plan in force is the one of the latest upload (not withdrawn) that holds a Reserve plan sheet.
CREATE TABLE reserve_plan_line (
    upload_id       BIGINT NOT NULL,
    source_id       BIGINT NOT NULL,
    sheet_row       INTEGER NOT NULL,                -- the Excel row the line came from
    reserve         VARCHAR NOT NULL,                -- a reserve named on the same workbook's Reserves sheet
    plan_year       VARCHAR NOT NULL CHECK (regexp_full_match(plan_year, '[0-9]{4}-[0-9]{2}')),
    planned_use_gbp DECIMAL(18, 2) NOT NULL,         -- positive = drawn down, negative = contribution
    PRIMARY KEY (upload_id, reserve, plan_year)
);
