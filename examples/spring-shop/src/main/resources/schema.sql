-- The shop's tables, in SQL that H2, PostgreSQL and MariaDB run alike. Spring runs this file at
-- every start (spring.sql.init.mode=always); IF NOT EXISTS makes that harmless.
-- fencing_token: the newest lock fencing token that claimed the row (see Inventory.reserve).
CREATE TABLE IF NOT EXISTS product (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  stock BIGINT NOT NULL,
  fencing_token BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS purchase_order (
  id VARCHAR(64) PRIMARY KEY,
  units BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS order_line (
  order_id VARCHAR(64) NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INT NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
