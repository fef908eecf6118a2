-- The multi-year capital programme (issue 19), uploaded as a `Capital programme` sheet of a monitoring workbook:
-- one line per scheme and year with how that year's budget is funded. It belongs to its upload (withdrawing the
-- upload withdraws it); the authority's current programme is derived, never stored: the latest active upload that
-- holds one. Money in £ as DECIMAL(18,2), converted from the workbook's units; the funding sources add up to the
-- budget within the workbook's rounding (checked before loading), a blank source is stored as NULL (none stated).

CREATE TABLE capital_programme_line (
    upload_id         BIGINT NOT NULL,                  -- monitoring_upload: who, when, file, sha256, status
    source_id         BIGINT NOT NULL,
    sheet_row         INTEGER NOT NULL,
    scheme            VARCHAR NOT NULL,
    directorate       VARCHAR NOT NULL,
    programme_year    VARCHAR NOT NULL CHECK (
                          regexp_full_match(programme_year, '[0-9]{4}-[0-9]{2}')
                          AND (CAST(substr(programme_year, 1, 4) AS INTEGER) + 1) % 100
                              = CAST(substr(programme_year, 6, 2) AS INTEGER)),
    budget_gbp        DECIMAL(18, 2) NOT NULL CHECK (budget_gbp >= 0),
    grants_gbp        DECIMAL(18, 2) CHECK (grants_gbp IS NULL OR grants_gbp >= 0),
    receipts_gbp      DECIMAL(18, 2) CHECK (receipts_gbp IS NULL OR receipts_gbp >= 0),
    revenue_gbp       DECIMAL(18, 2) CHECK (revenue_gbp IS NULL OR revenue_gbp >= 0),
    borrowing_gbp     DECIMAL(18, 2) CHECK (borrowing_gbp IS NULL OR borrowing_gbp >= 0),
    asset_life_years  DECIMAL(8, 2) CHECK (asset_life_years IS NULL OR asset_life_years > 0),
    slippage_gbp      DECIMAL(18, 2),
    PRIMARY KEY (upload_id, scheme, programme_year),
    CHECK (borrowing_gbp IS NULL OR borrowing_gbp = 0 OR asset_life_years IS NOT NULL)
);

-- The council's debt position and Prudential Code limits, from the same workbook's Instructions sheet: the
-- capital financing requirement and external debt at 1 April of the workbook's year, the average rate on that
-- debt, the limits its treasury management strategy sets (there is no national file of them) and the MRP method
-- it states. One row per upload that states any of them; NULL = not stated.
CREATE TABLE capital_position (
    upload_id                 BIGINT PRIMARY KEY,
    source_id                 BIGINT NOT NULL,
    as_at                     DATE NOT NULL,              -- 1 April of the workbook's financial year
    cfr_gbp                   DECIMAL(18, 2) CHECK (cfr_gbp IS NULL OR cfr_gbp >= 0),
    external_debt_gbp         DECIMAL(18, 2) CHECK (external_debt_gbp IS NULL OR external_debt_gbp >= 0),
    existing_rate_pct         DECIMAL(8, 4) CHECK (existing_rate_pct IS NULL OR existing_rate_pct BETWEEN 0 AND 100),
    authorised_limit_gbp      DECIMAL(18, 2) CHECK (authorised_limit_gbp IS NULL OR authorised_limit_gbp >= 0),
    operational_boundary_gbp  DECIMAL(18, 2) CHECK (operational_boundary_gbp IS NULL OR operational_boundary_gbp >= 0),
    financing_limit_pct       DECIMAL(8, 4) CHECK (financing_limit_pct IS NULL OR financing_limit_pct BETWEEN 0 AND 100),
    mrp_method                VARCHAR CHECK (mrp_method IS NULL OR mrp_method IN ('annuity', 'straight_line'))
);
