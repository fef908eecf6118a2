-- The audit log (issue 7): one row per committed write that changed something — who, in which role, through
-- which way in (OIDC login, a trusted proxy header, local single-user mode, the command line), and what action.
-- Written inside the write's own transaction by Store.write, so a write and its audit row commit or vanish
-- together; a refused write (NotPermittedError, InputError, a crash) leaves no row.
CREATE TABLE audit_log (
    audit_id     BIGINT PRIMARY KEY,                 -- Tx.next_id, never a SEQUENCE
    at_utc       TIMESTAMP NOT NULL,
    user_name    VARCHAR NOT NULL CHECK (length(user_name) > 0),
    role         VARCHAR CHECK (role IS NULL OR role IN ('viewer', 'finance', 'admin')),
    via          VARCHAR NOT NULL,                   -- 'oidc' | 'proxy' | 'local' | 'process'
    action       VARCHAR NOT NULL
);
