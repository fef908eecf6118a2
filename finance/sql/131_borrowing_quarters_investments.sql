-- borrowing_value also holds the live table's quarterly sheets (30 June, 30 September, 31 December as well as
-- 31 March) and its "LA Investments" sheets ('investments': the sum of the investment instrument columns).
-- `period_end` is the as-at date of the sheet; `financial_year` the year it falls in (30 June 2019 → 2019-20);
-- every value is outturn as at that date. DuckDB cannot change a CHECK in place, so the table is rebuilt with the
-- same columns in the same order and every row kept.

CREATE TABLE borrowing_value_131 (
    lgf_code        VARCHAR NOT NULL CHECK (regexp_full_match(lgf_code, '[EWSN][0-9]{4}')),
    ons_code        VARCHAR CHECK (ons_code IS NULL OR regexp_full_match(ons_code, '[EWSN][0-9]{8}')),
    name_published  VARCHAR NOT NULL,
    period_end      DATE NOT NULL CHECK (
                        (month(period_end) = 3 AND day(period_end) = 31)
                        OR (month(period_end) = 6 AND day(period_end) = 30)
                        OR (month(period_end) = 9 AND day(period_end) = 30)
                        OR (month(period_end) = 12 AND day(period_end) = 31)),
    financial_year  VARCHAR NOT NULL CHECK (
                        regexp_full_match(financial_year, '[0-9]{4}-[0-9]{2}')
                        AND CAST(substr(financial_year, 1, 4) AS INTEGER)
                            = year(period_end) - CASE WHEN month(period_end) = 3 THEN 1 ELSE 0 END),
    measure         VARCHAR NOT NULL CHECK (measure IN ('external_borrowing', 'pwlb_borrowing', 'investments')),
    value_gbp       DECIMAL(18, 2),
    published_text  VARCHAR,                      -- the cells' text where no number was published
    source_label    VARCHAR NOT NULL,             -- the sheet (and columns) the value was read from
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (lgf_code, period_end, measure),
    CHECK (value_gbp IS NOT NULL OR published_text IS NOT NULL),
    CHECK (value_gbp IS NULL OR abs(value_gbp) < 1e15)
);
INSERT INTO borrowing_value_131 SELECT * FROM borrowing_value;
DROP TABLE borrowing_value;
ALTER TABLE borrowing_value_131 RENAME TO borrowing_value;
