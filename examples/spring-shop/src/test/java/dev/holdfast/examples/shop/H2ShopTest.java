package dev.holdfast.examples.shop;

/** The shop on an in-memory H2 database that both instances share. */
final class H2ShopTest extends ShopContract {

  @Override
  ShopDatabase openDatabase() {
    return ShopDatabase.h2();
  }
}
