-- Products for the demo (ShopOnEmbeddedDefaults), added unless present, so that a second start on
-- a persistent database adds nothing. Product 7 is listed as hot in application.properties.
INSERT INTO product (id, name, stock, fencing_token)
  SELECT 1, 'espresso beans', 100, 0 FROM (SELECT 1 AS one) seed
  WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = 1);
INSERT INTO product (id, name, stock, fencing_token)
  SELECT 2, 'grinder', 20, 0 FROM (SELECT 1 AS one) seed
  WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = 2);
INSERT INTO product (id, name, stock, fencing_token)
  SELECT 3, 'filter papers', 500, 0 FROM (SELECT 1 AS one) seed
  WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = 3);
INSERT INTO product (id, name, stock, fencing_token)
  SELECT 7, 'limited edition mug', 10, 0 FROM (SELECT 1 AS one) seed
  WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = 7);
