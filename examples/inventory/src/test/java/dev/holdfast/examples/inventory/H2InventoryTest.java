package dev.holdfast.examples.inventory;

/** The inventory example on embedded H2, the default database. */
final class H2InventoryTest extends InventoryContract {

  @Override
  TestDatabase openDatabase(int poolSize) {
    return TestDatabase.open(TestDatabase.H2_URL, poolSize, "(H2 is embedded: this never aborts)");
  }
}
