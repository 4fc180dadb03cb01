package dev.holdfast.examples.shop;

/** The shop on a schema of its own on the PostgreSQL server of this machine. */
final class PostgresShopTest extends ShopContract {

  @Override
  ShopDatabase openDatabase() {
    return ShopDatabase.postgres();
  }
}
