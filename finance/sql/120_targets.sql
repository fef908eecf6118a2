-- Targets a council sets itself (issue 18): a value a series should reach by a date ("the general fund balance at
-- least £23m by 31 March 2029"). One store, written from the app, a `Targets` sheet of a monitoring workbook, the
-- Collection sheet's target rate or the command line; each row records who set it, when and how. Setting a target
-- again for the same series adds a row: the newest one (whose upload, if it came in one, is not withdrawn) is the
-- current target and the earlier ones stay as its history — "current" is derived, never stored.
-- A council's own data: listed in finance.access.PRIVATE_TABLES. Money in £ as DECIMAL(18,2).

CREATE TABLE target (
    target_id       BIGINT PRIMARY KEY,               -- Tx.next_id, never a SEQUENCE
    authority_code  VARCHAR NOT NULL,
    series_key      VARCHAR NOT NULL,                 -- finance.targets.CATALOGUE
    units           VARCHAR NOT NULL CHECK (units IN ('gbp', 'pct')),
    value_gbp       DECIMAL(18, 2),                   -- units 'gbp': the target in £
    value_pct       DECIMAL(9, 4),                    -- units 'pct': the target in %
    direction       VARCHAR NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    target_date     DATE NOT NULL,
    mandate         VARCHAR CHECK (mandate IS NULL OR length(mandate) <= 300),  -- the decision or report it rests on
    set_by          VARCHAR NOT NULL CHECK (length(trim(set_by)) > 0),
    set_at          TIMESTAMP NOT NULL,
    set_via         VARCHAR NOT NULL CHECK (set_via IN ('app', 'sheet', 'collection_sheet', 'cli', 'demo')),
    upload_id       BIGINT,                           -- monitoring_upload, when it came in a workbook
    sheet_row       INTEGER,                          -- the workbook row it came from
    CHECK ((units = 'gbp' AND value_gbp IS NOT NULL AND value_pct IS NULL)
           OR (units = 'pct' AND value_pct IS NOT NULL AND value_gbp IS NULL)),
    CHECK ((upload_id IS NULL) = (set_via NOT IN ('sheet', 'collection_sheet')))
);
