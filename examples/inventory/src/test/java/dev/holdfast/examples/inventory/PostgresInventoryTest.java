package dev.holdfast.examples.inventory;

/** The inventory example on the PostgreSQL server of this machine. */
final class PostgresInventoryTest extends InventoryContract {

  @Override
  TestDatabase openDatabase(int poolSize) {
    return TestDatabase.open(
        TestDatabase.POSTGRES_URL,
        poolSize,
        "start PostgreSQL on 127.0.0.1:5432 with a database \"test\" that user postgres may use"
            + " without a password (Debian: apt-get install postgresql)");
  }
}
