-- Tokens with roles (issue 19): besides ADMIN and WORKER, OPERATOR (apply, trigger, cancel,
-- repair), VIEWER (read only) and EVENTS (send events only). Tokens are listed and revoked by name.
-- (widening a CHECK: see V6, V9, V10 and V12)
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''ADMIN'', ''WORKER'')',
    '''ADMIN'', ''OPERATOR'', ''VIEWER'', ''EVENTS'', ''WORKER'')')
  WHERE type = 'table' AND name = 'tokens';
PRAGMA writable_schema = RESET;
CREATE INDEX tokens_name ON tokens (name);
