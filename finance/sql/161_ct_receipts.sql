-- MHCLG's council tax receipts live table (QRC1-4): each billing authority's receipts of council tax in each
-- quarter, 2010-11 Q1 onwards, in £ (published in £ thousand), including the precepts it collects for others.
-- Receipts, not collection rates: cash received in the quarter whatever year it relates to. The table is one
-- running file, so a newer file replaces every row; the rows name the file they came from (source_file, kind
-- 'official', dataset 'Council tax receipts', financial_year NULL: the file spans many years). A cell the table
-- does not publish ('[z]': the authority did not exist; '[x]': not available) is NULL with its text kept.
CREATE TABLE official_ct_receipts (
    code            VARCHAR NOT NULL CHECK (regexp_full_match(code, 'E[0-9]{8}')),
    ecode           VARCHAR NOT NULL,
    name_published  VARCHAR NOT NULL,
    class           VARCHAR NOT NULL CHECK (class IN ('MD', 'LB', 'UA', 'SD')),  -- billing authorities only
    financial_year  VARCHAR NOT NULL CHECK (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100
                            = CAST(substr(financial_year, 6, 2) AS INTEGER)),
    quarter         INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    receipts_gbp    DECIMAL(18, 2),
    published_text  VARCHAR,
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, financial_year, quarter),
    CHECK (receipts_gbp IS NOT NULL OR published_text IS NOT NULL)
);
