package dev.holdfast.examples.shop;

/** The shop on a database of its own on the MariaDB server of this machine. */
final class MariaDbShopTest extends ShopContract {

  @Override
  ShopDatabase openDatabase() {
    return ShopDatabase.mariaDb();
  }
}
