-- Official demand statistics (children looked after, EHC plans, households in temporary accommodation), one row
-- per authority, metric and as-at point, as published by DfE and MHCLG.
--
-- Kept apart from the revenue returns: these are counts and rates, not £, measured at points that are not
-- financial-year ends (January for EHC plans, a quarter end for temporary accommodation). A value not published
-- ('c' suppressed, 'x' unavailable, 'z' not applicable, '..' missing return) is NULL with its text kept.

-- The (metric, as-at point) pairs each file carries and how many rows: which file a period came from, and whether
-- a file read again is already the loaded copy.
CREATE TABLE demand_file (
    source_id       BIGINT NOT NULL,
    metric          VARCHAR NOT NULL CHECK (length(metric) > 0),
    period_end      DATE NOT NULL,
    row_count       INTEGER NOT NULL CHECK (row_count >= 0),
    PRIMARY KEY (source_id, metric, period_end)
);

CREATE TABLE demand_value (
    code            VARCHAR NOT NULL CHECK (regexp_full_match(code, 'E[0-9]{8}')),  -- ONS code; E92000001 = England
    name_published  VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL CHECK (length(metric) > 0),
    period_end      DATE NOT NULL,               -- the last day of the as-at point (31 January for 'January 2025')
    period_label    VARCHAR NOT NULL,            -- the as-at point in words: '31 March 2025', 'calendar year 2024'
    basis           VARCHAR NOT NULL CHECK (basis IN ('official count', 'official rate', 'official percentage')),
    definition      VARCHAR NOT NULL,            -- the collection the figure comes from (a change breaks a trend)
    value           DOUBLE,
    published_text  VARCHAR,
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (code, metric, period_end),
    CHECK (value IS NOT NULL OR published_text IS NOT NULL),
    CHECK (value IS NULL OR value >= 0)
);
