-- The council's approved medium-term financial strategy (issue 10), uploaded as an `MTFS` sheet of a monitoring
-- workbook. Each upload holding one adds a version beside the earlier ones (an MTFS is revised several times a
-- year: budget reset, February budget), so the versions view can show how the approved gap moved. A version
-- belongs to its upload: withdrawing the upload takes the version out of every view, and "latest" is derived
-- (latest approval date, then latest upload), never stored. Money in £ as DECIMAL(18,2).

CREATE TABLE mtfs_version (
    version_id      BIGINT PRIMARY KEY,               -- Tx.next_id, never a SEQUENCE
    upload_id       BIGINT NOT NULL UNIQUE,           -- monitoring_upload: who, when, file, sha256, status
    source_id       BIGINT NOT NULL,
    authority_code  VARCHAR NOT NULL,
    version_name    VARCHAR NOT NULL CHECK (length(trim(version_name)) > 0 AND length(version_name) <= 200),
    approved_on     DATE,                             -- the date the workbook says it was approved, where it says
    base_year       VARCHAR NOT NULL CHECK (
                        regexp_full_match(base_year, '[0-9]{4}-[0-9]{2}')
                        AND (CAST(substr(base_year, 1, 4) AS INTEGER) + 1) % 100
                            = CAST(substr(base_year, 6, 2) AS INTEGER)),
    sheet_title     VARCHAR NOT NULL,
    line_count      INTEGER NOT NULL CHECK (line_count > 0)
);

-- One line per forecast year; the gaps are incremental (new in that year), as MTFS reports state them.
CREATE TABLE mtfs_line (
    version_id              BIGINT NOT NULL,
    source_id               BIGINT NOT NULL,
    sheet_row               INTEGER NOT NULL,
    mtfs_year               VARCHAR NOT NULL CHECK (
                                regexp_full_match(mtfs_year, '[0-9]{4}-[0-9]{2}')
                                AND (CAST(substr(mtfs_year, 1, 4) AS INTEGER) + 1) % 100
                                    = CAST(substr(mtfs_year, 6, 2) AS INTEGER)),
    budget_requirement_gbp  DECIMAL(18, 2) CHECK (budget_requirement_gbp IS NULL OR budget_requirement_gbp >= 0),
    funding_gbp             DECIMAL(18, 2) CHECK (funding_gbp IS NULL OR funding_gbp >= 0),
    gap_before_savings_gbp  DECIMAL(18, 2) NOT NULL,  -- positive = a shortfall; negative = a surplus
    savings_identified_gbp  DECIMAL(18, 2),           -- missing is missing, never zero
    gap_after_savings_gbp   DECIMAL(18, 2),
    reserves_use_gbp        DECIMAL(18, 2),           -- planned use of reserves: positive = drawn down
    PRIMARY KEY (version_id, mtfs_year)
);
