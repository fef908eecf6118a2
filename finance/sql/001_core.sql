-- Core tables: provenance of every loaded file, the authorities, and the official returns.
-- Money is in £ (DECIMAL, exact); the official returns publish £000 and are multiplied by 1,000 on import.

-- No SEQUENCEs: DuckDB does not roll a sequence back with a refused transaction, so ids are max()+1, taken
-- inside the store's single serialised writer (Tx.next_id).

-- Every row loaded into Headroom points at the file it came from.
CREATE TABLE source_file (
    source_id       BIGINT PRIMARY KEY,
    kind            VARCHAR NOT NULL CHECK (kind IN ('official', 'demo', 'upload')),
    file_name       VARCHAR NOT NULL CHECK (length(file_name) > 0),
    sha256          VARCHAR NOT NULL CHECK (regexp_full_match(sha256, '[0-9a-f]{64}')),
    dataset         VARCHAR NOT NULL,            -- e.g. 'RS outturn', 'RA budget', 'Illustrative demo'
    financial_year  VARCHAR CHECK (financial_year IS NULL OR (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100
                            = CAST(substr(financial_year, 6, 2) AS INTEGER))),
    basis           VARCHAR NOT NULL CHECK (basis IN ('outturn', 'budget_estimate', 'illustrative', 'monitoring')),
    publisher_note  VARCHAR,                     -- the workbook's own statement of release, where it has one
    loaded_at_utc   TIMESTAMP NOT NULL,
    loaded_by       VARCHAR NOT NULL,
    UNIQUE (kind, sha256)
);

-- Authorities are keyed by ONS code where one is published; the few bodies with none keep their MHCLG E-code.
-- Illustrative (demo) authorities are flagged and never mixed into a real authority's peer group.
CREATE TABLE authority (
    code            VARCHAR PRIMARY KEY CHECK (regexp_full_match(code, 'E[0-9]{8}|E[0-9]{4}|DEMO[0-9]{2}')),
    ecode           VARCHAR,
    name            VARCHAR NOT NULL CHECK (length(name) > 0),
    class           VARCHAR NOT NULL CHECK (class IN ('MD', 'LB', 'UA', 'SC', 'SD', 'O')),
    is_illustrative BOOLEAN NOT NULL,
    source_id       BIGINT NOT NULL               -- the latest file that named it
);

-- One row per authority per official file: the authority was on the return (and with which class that year).
CREATE TABLE official_return (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL CHECK (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100
                            = CAST(substr(financial_year, 6, 2) AS INTEGER)),
    basis           VARCHAR NOT NULL CHECK (basis IN ('outturn', 'budget_estimate', 'illustrative')),
    class           VARCHAR NOT NULL CHECK (class IN ('MD', 'LB', 'UA', 'SC', 'SD', 'O')),
    name_published  VARCHAR NOT NULL,
    certified       VARCHAR,                      -- 'Y'/'N' where the return says (2023-24 on)
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, basis)
);

-- The published figures. A value the return did not give (e.g. '[x]', return not received) is NULL with the
-- published text kept: missing is missing, never zero.
CREATE TABLE official_value (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL CHECK (basis IN ('outturn', 'budget_estimate', 'illustrative')),
    measure         VARCHAR NOT NULL CHECK (measure IN (
                        'unallocated_reserves', 'earmarked_reserves', 'earmarked_reserves_adjusted',
                        'public_health_reserves', 'schools_reserves', 'dsg_reserves', 'dsg_adjustment_account',
                        'net_revenue_expenditure', 'revenue_expenditure', 'council_tax_requirement')),
    point           VARCHAR NOT NULL CHECK (point IN ('opening', 'closing', 'year')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,                      -- the cell's text where it was not a number
    source_label    VARCHAR NOT NULL,             -- the published column label the value was read from
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, basis, measure, point),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    -- levels are at a point in time; flows (NRE, council tax requirement) are for the whole year
    CHECK ((point = 'year') = (measure IN ('net_revenue_expenditure', 'revenue_expenditure',
                                            'council_tax_requirement'))),
    -- No sign check on official values: the returns publish negative net revenue expenditure (136 'O' bodies
    -- and one district) and two negative council tax requirements; they are kept as published, and ratios
    -- to a non-positive NRE are reported as not meaningful rather than computed.
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
