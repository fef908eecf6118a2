-- The council's own demand behind its Revenue lines (issue 20): the optional Demand sheet of the monthly workbook,
-- one row per period and metric. Volumes are counts; unit costs are £ a year per unit (never the workbook's
-- units). Kept with its upload like every monitoring line (withdrawn with it).
CREATE TABLE monitoring_demand (
    upload_id               BIGINT NOT NULL,
    source_id               BIGINT NOT NULL,
    period                  INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    sheet_row               INTEGER NOT NULL,
    directorate             VARCHAR NOT NULL,
    service                 VARCHAR,                 -- blank where the Revenue line has no service
    metric                  VARCHAR NOT NULL,
    unit                    VARCHAR NOT NULL,
    budgeted_volume         DOUBLE NOT NULL CHECK (budgeted_volume >= 0),
    budgeted_unit_cost_gbp  DOUBLE NOT NULL CHECK (budgeted_unit_cost_gbp >= 0),
    forecast_volume         DOUBLE NOT NULL CHECK (forecast_volume >= 0),
    forecast_unit_cost_gbp  DOUBLE NOT NULL CHECK (forecast_unit_cost_gbp >= 0)
);
