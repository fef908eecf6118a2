-- official_value also holds the other RS lines of the financing costs (Prudential-Code style: 773 + 776 + 781 +
-- 783 + 786, each a flow for the year, as published — 786 and usually 783 are negative): minimum revenue
-- provision (773), leasing payments (776), HRA item 8 interest payments and receipts (783), and interest and
-- investment income (786). DuckDB cannot change a CHECK in place, so the table is rebuilt with the same columns
-- and every row kept; only the two measure lists of 060_official_interest.sql gain the new lines.

CREATE TABLE official_value_130 (
    code            VARCHAR NOT NULL,
    financial_year  VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL CHECK (basis IN ('outturn', 'budget_estimate', 'illustrative')),
    measure         VARCHAR NOT NULL CHECK (measure IN (
                        'unallocated_reserves', 'earmarked_reserves', 'earmarked_reserves_adjusted',
                        'public_health_reserves', 'schools_reserves', 'dsg_reserves', 'dsg_adjustment_account',
                        'net_revenue_expenditure', 'revenue_expenditure', 'council_tax_requirement',
                        'interest_payable', 'minimum_revenue_provision', 'leasing_payments', 'hra_item8_interest',
                        'interest_investment_income')),
    point           VARCHAR NOT NULL CHECK (point IN ('opening', 'closing', 'year')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,
    source_label    VARCHAR NOT NULL,
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, basis, measure, point),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    CHECK ((point = 'year') = (measure IN ('net_revenue_expenditure', 'revenue_expenditure',
                                            'council_tax_requirement', 'interest_payable',
                                            'minimum_revenue_provision', 'leasing_payments', 'hra_item8_interest',
                                            'interest_investment_income'))),
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
INSERT INTO official_value_130 SELECT * FROM official_value;
DROP TABLE official_value;
ALTER TABLE official_value_130 RENAME TO official_value;
