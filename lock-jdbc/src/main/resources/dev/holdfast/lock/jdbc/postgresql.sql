-- Holdfast's lock table on PostgreSQL. One row per key ever locked; a row is never deleted by
-- Holdfast, and its fencing_token only grows. owner_token and lease_end are null while the key is
-- free; lease_end is in microseconds since 1970 by the database's clock.
CREATE TABLE IF NOT EXISTS holdfast_lock (
  lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
  owner_token VARCHAR(36),
  lease_end BIGINT,
  fencing_token BIGINT NOT NULL
)
