-- Outstanding external borrowing per authority at each 31 March, from MHCLG's "Borrowing and Investment Live
-- Table" (quarterly borrowing and investment returns). Published in £ thousand; stored in £.
--
-- Keyed by the MHCLG E-code (`lgf_code`) because the older sheets publish no ONS code; `ons_code` is the code
-- the workbook itself gives for that E-code (on its 2017-18 and later sheets), NULL where it gives none, and
-- queries fall back to authority.ecode. Only year-end (31 March) sheets are loaded: they are what pairs with a
-- year's net revenue expenditure.
CREATE TABLE borrowing_value (
    lgf_code        VARCHAR NOT NULL CHECK (regexp_full_match(lgf_code, '[EWSN][0-9]{4}')),
    ons_code        VARCHAR CHECK (ons_code IS NULL OR regexp_full_match(ons_code, '[EWSN][0-9]{8}')),
    name_published  VARCHAR NOT NULL,
    period_end      DATE NOT NULL CHECK (month(period_end) = 3 AND day(period_end) = 31),
    financial_year  VARCHAR NOT NULL CHECK (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND CAST(substr(financial_year, 1, 4) AS INTEGER) + 1 = year(period_end)),
    measure         VARCHAR NOT NULL CHECK (measure IN ('external_borrowing', 'pwlb_borrowing')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,                      -- the cells' text where no number was published
    source_label    VARCHAR NOT NULL,             -- the sheet (and columns) the value was read from
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (lgf_code, period_end, measure),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
