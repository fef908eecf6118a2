-- Issue 14: official_value also holds RS line 781, interest payable ('interest_payable', a flow for the year).
-- DuckDB cannot change a CHECK in place, so the table is rebuilt with the same columns and every row kept.
-- Columns, keys and the other rules are those of 001_core.sql; only the two measure lists gain the new line.

CREATE TABLE official_value_060 (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL CHECK (basis IN ('outturn', 'budget_estimate', 'illustrative')),
    measure         VARCHAR NOT NULL CHECK (measure IN (
                        'unallocated_reserves', 'earmarked_reserves', 'earmarked_reserves_adjusted',
                        'public_health_reserves', 'schools_reserves', 'dsg_reserves', 'dsg_adjustment_account',
                        'net_revenue_expenditure', 'revenue_expenditure', 'council_tax_requirement',
                        'interest_payable')),
    point           VARCHAR NOT NULL CHECK (point IN ('opening', 'closing', 'year')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,
    source_label    VARCHAR NOT NULL,
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, basis, measure, point),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    CHECK ((point = 'year') = (measure IN ('net_revenue_expenditure', 'revenue_expenditure',
                                            'council_tax_requirement', 'interest_payable'))),
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
INSERT INTO official_value_060 SELECT * FROM official_value;
DROP TABLE official_value;
ALTER TABLE official_value_060 RENAME TO official_value;
