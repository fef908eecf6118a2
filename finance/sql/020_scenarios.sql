-- Saved MTFS scenarios (issue 4). The scenario itself is kept as its TOML text, exactly what export writes, so a
-- saved scenario reloads, exports and diffs the same way as a file; the columns beside it are for listing.
--
-- Saving a name that an authority already uses keeps the earlier one and adds the next version: an s151 officer
-- needs to show what was presented in November beside what went to council in February. Lists show the latest
-- version of each name; every version stays until deleted.

CREATE TABLE scenario (
    scenario_id     BIGINT PRIMARY KEY,               -- Tx.next_id, never a SEQUENCE
    authority_code  VARCHAR NOT NULL CHECK (regexp_full_match(authority_code, 'E[0-9]{8}|E[0-9]{4}|DEMO[0-9]{2}')),
    name            VARCHAR NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 200),
    version         INTEGER NOT NULL CHECK (version >= 1),
    base_year       VARCHAR NOT NULL,
    final_year      VARCHAR NOT NULL,
    scenario_toml   VARCHAR NOT NULL,
    note            VARCHAR,
    saved_by        VARCHAR NOT NULL,
    saved_at_utc    TIMESTAMP NOT NULL,
    UNIQUE (authority_code, name, version)
);

-- At most one "current" scenario per authority: the one the overview shows. It points at one version, so saving
-- a newer version of the same name does not silently change what the overview reports.
CREATE TABLE scenario_current (
    authority_code  VARCHAR PRIMARY KEY,
    scenario_id     BIGINT NOT NULL,
    set_by          VARCHAR NOT NULL,
    set_at_utc      TIMESTAMP NOT NULL
);
