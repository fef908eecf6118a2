-- In-year reserves that add up (issue 14).
--
-- Each upload records what its Instructions sheet says about the reserves forecast: whether the forecast overspend
-- is already in the Reserves sheet's forecast use (NULL = not stated, treated as No: the overspend is deducted
-- from the general fund balance), and the council's stated minimum general fund balance in £ (NULL = none stated).
ALTER TABLE monitoring_upload ADD COLUMN overspend_in_reserves BOOLEAN;
ALTER TABLE monitoring_upload ADD COLUMN minimum_gf_balance_gbp DECIMAL(18, 2);  -- never negative (checked on upload)

-- The Reserves sheet's Type gains 'Ring-fenced' (public health, schools, DSG): shown, never counted as usable.
-- DuckDB cannot change a CHECK in place, so the table is rebuilt with the same columns and its rows copied.
CREATE TABLE monitoring_reserves_065 (
    upload_id        BIGINT NOT NULL,
    source_id        BIGINT NOT NULL,
    period           INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row        INTEGER NOT NULL,
    reserve          VARCHAR NOT NULL,
    reserve_type     VARCHAR NOT NULL CHECK (reserve_type IN ('Unallocated', 'Earmarked', 'Ring-fenced')),
    opening_gbp      DECIMAL(18, 2) NOT NULL,
    forecast_use_gbp DECIMAL(18, 2) NOT NULL,        -- positive = drawn down, negative = contribution
    closing_gbp      DECIMAL(18, 2) NOT NULL         -- opening − forecast use (checked on upload)
);
INSERT INTO monitoring_reserves_065 SELECT * FROM monitoring_reserves;
DROP TABLE monitoring_reserves;
ALTER TABLE monitoring_reserves_065 RENAME TO monitoring_reserves;
