-- Holdfast's lock table on MariaDB and MySQL (InnoDB). One row per key ever locked; a row is never
-- deleted by Holdfast, and its fencing_token only grows. owner_token and lease_end are null while
-- the key is free; lease_end is in microseconds since 1970 by the database's clock. The key is
-- binary so that keys differing in case or trailing spaces stay different keys (UTF-8, at most
-- 255 characters).
CREATE TABLE IF NOT EXISTS holdfast_lock (
  lock_key VARBINARY(1020) NOT NULL PRIMARY KEY,
  owner_token VARCHAR(36),
  lease_end BIGINT,
  fencing_token BIGINT NOT NULL
) ENGINE = InnoDB
