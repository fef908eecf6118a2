-- Service spending from the revenue outturn returns: net current expenditure per service line, per authority
-- and year, from RS (2010-11 on, beside its reserves), RSX (the service expenditure summary, 2024-25 on) and the
-- RO detail returns (RO3: social care and public health lines).
--
-- Kept apart from official_return/official_value on purpose: which years are held is known per return, so
-- importing RSX 2024-25 does not make 2024-25 a year of the reserves returns (a page needing reserves still
-- picks its latest year from official_return).

-- One row per authority per return file held: the authority was on this return that year.
CREATE TABLE service_return (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL CHECK (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100
                            = CAST(substr(financial_year, 6, 2) AS INTEGER)),
    dataset         VARCHAR NOT NULL CHECK (regexp_full_match(dataset, '(RS|RSX|RO[1-6]) outturn')),
    basis           VARCHAR NOT NULL CHECK (basis = 'outturn'),
    class           VARCHAR NOT NULL CHECK (class IN ('MD', 'LB', 'UA', 'SC', 'SD', 'O')),
    name_published  VARCHAR NOT NULL,
    certified       VARCHAR,
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, dataset)
);

-- The published figures, £ (the returns publish £000). A value not published ('[x]' = return not received,
-- '[c]', '..') is NULL with its text kept: missing is missing, never zero.
CREATE TABLE service_value (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL,
    dataset         VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL CHECK (basis = 'outturn'),
    line            VARCHAR NOT NULL CHECK (length(line) > 0),  -- service key (RS/RSX) or the RO line's label
    measure         VARCHAR NOT NULL CHECK (measure IN ('net_current_expenditure')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,
    source_label    VARCHAR NOT NULL,             -- the published column label the value was read from
    asset_code      VARCHAR,                      -- the publisher's asset code for the column, where given
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, dataset, line, measure),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
