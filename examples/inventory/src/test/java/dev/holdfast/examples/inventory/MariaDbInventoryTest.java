package dev.holdfast.examples.inventory;

/** The inventory example on the MariaDB server of this machine. */
final class MariaDbInventoryTest extends InventoryContract {

  @Override
  TestDatabase openDatabase(int poolSize) {
    return TestDatabase.open(
        TestDatabase.MARIADB_URL,
        poolSize,
        "start MariaDB on 127.0.0.1:3306 with a database \"test\" that root may use without a"
            + " password (Debian: apt-get install mariadb-server)");
  }
}
