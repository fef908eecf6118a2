-- Monthly monitoring uploads (issue 3): one row per uploaded workbook, one row per sheet and period it holds,
-- and the typed lines of each sheet. Money in £ as DECIMAL(18,2), converted from the workbook's £/£000/£m.
--
-- "Current" is derived, never stored: for each authority, year, period and sheet, the latest (highest upload_id)
-- upload that is not withdrawn and holds that sheet for that period. So a new upload supersedes an earlier one
-- sheet by sheet (a collection-only workbook does not hide the revenue lines), and withdrawing an upload makes the
-- previous one current again with no pointer to keep consistent. upload_id comes from Tx.next_id inside the one
-- serialised writer, so it orders uploads as they were committed.

CREATE TABLE monitoring_upload (
    upload_id        BIGINT PRIMARY KEY,
    source_id        BIGINT NOT NULL,               -- source_file: file name, sha256, loaded at, by whom
    authority_code   VARCHAR NOT NULL,
    financial_year   VARCHAR NOT NULL CHECK (
                         regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                         AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100
                             = CAST(substr(financial_year, 6, 2) AS INTEGER)),
    file_name        VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL CHECK (regexp_full_match(sha256, '[0-9a-f]{64}')),
    uploaded_by      VARCHAR NOT NULL,
    uploaded_at_utc  TIMESTAMP NOT NULL,
    line_count       INTEGER NOT NULL CHECK (line_count > 0),
    status           VARCHAR NOT NULL CHECK (status IN ('active', 'withdrawn')),
    withdrawn_by     VARCHAR,
    withdrawn_at_utc TIMESTAMP,
    CHECK ((status = 'withdrawn') = (withdrawn_at_utc IS NOT NULL))
);

-- What each upload holds: its sheets and periods, with the line count of each (the history's "row counts").
CREATE TABLE monitoring_upload_sheet (
    upload_id   BIGINT NOT NULL,
    sheet       VARCHAR NOT NULL CHECK (sheet IN ('Revenue', 'Savings', 'Collection', 'DSG', 'Reserves', 'Capital')),
    period      INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_title VARCHAR NOT NULL,                    -- the sheet's name in the workbook, as the user wrote it
    line_count  INTEGER NOT NULL CHECK (line_count > 0),
    PRIMARY KEY (upload_id, sheet, period)
);

CREATE TABLE monitoring_revenue (
    upload_id    BIGINT NOT NULL,
    source_id    BIGINT NOT NULL,
    period       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row    INTEGER NOT NULL,                   -- the Excel row the line came from
    directorate  VARCHAR NOT NULL,
    service      VARCHAR,
    budget_gbp   DECIMAL(18, 2) NOT NULL,
    forecast_gbp DECIMAL(18, 2) NOT NULL,
    variance_gbp DECIMAL(18, 2) NOT NULL,            -- forecast − budget; positive = overspend
    CHECK (variance_gbp = forecast_gbp - budget_gbp)
);

CREATE TABLE monitoring_savings (
    upload_id    BIGINT NOT NULL,
    source_id    BIGINT NOT NULL,
    period       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row    INTEGER NOT NULL,
    scheme       VARCHAR NOT NULL,
    directorate  VARCHAR NOT NULL,
    target_gbp   DECIMAL(18, 2) NOT NULL,
    forecast_gbp DECIMAL(18, 2) NOT NULL,            -- forecast delivered
    rag          VARCHAR NOT NULL CHECK (rag IN ('Delivered', 'Green', 'Amber', 'Red'))
);

CREATE TABLE monitoring_collection (
    upload_id       BIGINT NOT NULL,
    source_id       BIGINT NOT NULL,
    period          INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row       INTEGER NOT NULL,
    stream          VARCHAR NOT NULL CHECK (stream IN ('Council tax', 'Business rates', 'Adult social care charges',
                                                       'Sundry debt')),
    collectable_gbp DECIMAL(18, 2) NOT NULL,
    collected_gbp   DECIMAL(18, 2) NOT NULL,         -- cumulative to the end of the period
    arrears_gbp     DECIMAL(18, 2)                   -- missing is missing, never zero
);

CREATE TABLE monitoring_dsg (
    upload_id           BIGINT NOT NULL,
    source_id           BIGINT NOT NULL,
    period              INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row           INTEGER NOT NULL,
    brought_forward_gbp DECIMAL(18, 2) NOT NULL,     -- deficits are positive
    in_year_gbp         DECIMAL(18, 2) NOT NULL,
    cumulative_gbp      DECIMAL(18, 2) NOT NULL
);

CREATE TABLE monitoring_reserves (
    upload_id        BIGINT NOT NULL,
    source_id        BIGINT NOT NULL,
    period           INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row        INTEGER NOT NULL,
    reserve          VARCHAR NOT NULL,
    reserve_type     VARCHAR NOT NULL CHECK (reserve_type IN ('Unallocated', 'Earmarked')),
    opening_gbp      DECIMAL(18, 2) NOT NULL,
    forecast_use_gbp DECIMAL(18, 2) NOT NULL,        -- positive = drawn down, negative = contribution
    closing_gbp      DECIMAL(18, 2) NOT NULL
);

CREATE TABLE monitoring_capital (
    upload_id         BIGINT NOT NULL,
    source_id         BIGINT NOT NULL,
    period            INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row         INTEGER NOT NULL,
    scheme            VARCHAR NOT NULL,
    budget_gbp        DECIMAL(18, 2) NOT NULL,
    forecast_gbp      DECIMAL(18, 2) NOT NULL,
    spend_to_date_gbp DECIMAL(18, 2) NOT NULL
);

-- The upload that is current for each authority, year, period and sheet.
CREATE VIEW monitoring_current AS
SELECT u.authority_code, u.financial_year, s.period, s.sheet, max(u.upload_id) AS upload_id
FROM monitoring_upload u
JOIN monitoring_upload_sheet s USING (upload_id)
WHERE u.status = 'active'
GROUP BY u.authority_code, u.financial_year, s.period, s.sheet;
