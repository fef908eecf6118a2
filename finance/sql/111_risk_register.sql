-- The council's financial risk register (issue 18), uploaded as an optional Risks sheet. Like an MTFS sheet it is
-- not per period: the register in force for a year is the one of the latest upload (not withdrawn) for that year or
-- an earlier one that holds a Risks sheet. Money in £ as DECIMAL(18,2); the likelihood as the % it was read as,
-- beside what the sheet said (a % or a 1-5 score).
CREATE TABLE risk_line (
    upload_id         BIGINT NOT NULL,
    source_id         BIGINT NOT NULL,
    sheet_row         INTEGER NOT NULL,
    risk_id           VARCHAR NOT NULL,
    description       VARCHAR NOT NULL,
    category          VARCHAR,
    likelihood_given  VARCHAR NOT NULL,                 -- as written: '35%', '0.35' or a score '4'
    likelihood_score  INTEGER CHECK (likelihood_score BETWEEN 1 AND 5),
    likelihood_pct    DOUBLE NOT NULL CHECK (likelihood_pct BETWEEN 0 AND 100),
    impact_low_gbp    DECIMAL(18, 2) NOT NULL CHECK (impact_low_gbp >= 0),
    impact_likely_gbp DECIMAL(18, 2) NOT NULL,
    impact_high_gbp   DECIMAL(18, 2) NOT NULL,
    mitigation        VARCHAR,
    owner             VARCHAR,
    CHECK (impact_low_gbp <= impact_likely_gbp AND impact_likely_gbp <= impact_high_gbp),
    PRIMARY KEY (upload_id, risk_id)
);
