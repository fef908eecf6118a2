-- Statistical nearest-neighbour peer groups (issue 20), as published.
--
-- `peer_neighbour` holds each model's neighbour lists, one row per authority and neighbour rank:
--   model 'NN': ONS "Clustering similar local authorities and statistical nearest neighbours" (global model), keyed
--               by ONS code, 20 neighbours each, UK-wide (Welsh, Scottish and Northern Irish authorities included);
--   model 'SN': DfE children's services statistical neighbours, keyed by DfE LA number, 10 neighbours each, with
--               DfE's closeness band.
-- `dfe_la_lookup` joins DfE LA numbers to ONS codes (its own file, its own source). A newer file of a model
-- replaces that model's rows; the source_file row of the old one stays as history. Nothing here is money.
CREATE TABLE peer_neighbour (
    model           VARCHAR NOT NULL CHECK (model IN ('NN', 'SN')),
    authority_key   VARCHAR NOT NULL CHECK (length(authority_key) > 0),   -- NN: ONS code; SN: DfE LA number
    authority_name  VARCHAR NOT NULL,
    neighbour_rank  INTEGER NOT NULL CHECK (neighbour_rank BETWEEN 1 AND 20),
    neighbour_key   VARCHAR NOT NULL CHECK (length(neighbour_key) > 0),
    neighbour_name  VARCHAR,                      -- as published (ONS); NULL where the file gives a number only
    closeness       VARCHAR,                      -- DfE's band ('Very close', 'Close', …); NULL for ONS
    source_id       BIGINT NOT NULL,
    PRIMARY KEY (model, authority_key, neighbour_rank)
);

CREATE TABLE dfe_la_lookup (
    dfe_la_code     VARCHAR PRIMARY KEY CHECK (regexp_full_match(dfe_la_code, '[0-9]{3}')),
    ons_code        VARCHAR NOT NULL CHECK (regexp_full_match(ons_code, '[EWSN][0-9]{8}')),
    name            VARCHAR NOT NULL,
    region_name     VARCHAR,
    source_id       BIGINT NOT NULL
);
