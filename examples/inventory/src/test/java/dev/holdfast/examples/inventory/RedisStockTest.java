package dev.holdfast.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.examples.inventory.FaultyDataSource.Fault;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis-held stock when recording an order fails: the units go back only when the order is provably
 * not recorded. On H2, whose failures a wrapping data source injects.
 */
final class RedisStockTest {

  private TestDatabase database;
  private FaultyDataSource faulty;
  private Inventory inventory;
  private RedisStock stock;

  @BeforeEach
  void sixUnitsOfOneProductInRedis() {
    database = TestDatabase.open(TestDatabase.H2_URL, 4, "(embedded)");
    faulty = new FaultyDataSource(database.dataSource());
    inventory = database.inventory(faulty.dataSource()).build();
    inventory.createTables();
    inventory.resetStock(Map.of(1L, 6L));
    stock = new RedisStock(SharedRedis.first(), inventory, "stock-" + System.nanoTime() + ":");
    stock.loadFromInventory();
  }

  @AfterEach
  void dropTables() {
    faulty.inject(Fault.NONE);
    database.close();
  }

  @Test
  void aCommitWhoseReplyWasLostKeepsItsUnitsTakenSoNothingIsSoldTwice() {
    faulty.inject(Fault.COMMIT_REPLY_LOST);

    assertThatThrownBy(() -> stock.placeOrder(order("o-1", 2))).isInstanceOf(StoreException.class);

    assertThat(inventory.orderExists("o-1")).isTrue();
    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 4L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 2L));
  }

  @Test
  void anOrderTheDatabaseDidNotRecordGivesItsUnitsBackAndCanBePlacedAgain() throws Exception {
    // Without its lines table the order's transaction fails and rolls back: nothing recorded.
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + database.table("order_line"));
    }

    assertThatThrownBy(() -> stock.placeOrder(order("o-1", 2))).isInstanceOf(StoreException.class);
    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 6L));
    inventory.createTables();
    stock.placeOrder(order("o-1", 2));

    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 4L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 2L));
  }

  @Test
  void whenTheDatabaseCannotSayWhetherTheOrderIsRecordedTheUnitsStayTakenAndTheErrorSaysSo() {
    faulty.inject(Fault.UNREACHABLE);

    assertThatThrownBy(() -> stock.placeOrder(order("o-1", 2)))
        .isInstanceOf(StoreException.class)
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .extracting(Throwable::getMessage)
                    .asString()
                    .contains("Kept the units of order o-1"));

    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 4L));
  }

  @Test
  void loadingTheStockForANewSaleForgetsTheOrdersOfTheLastOne() throws Exception {
    stock.placeOrder(order("o-1", 2));
    inventory.resetStock(Map.of(1L, 6L));
    stock.loadFromInventory();

    stock.placeOrder(order("o-1", 2));

    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 4L));
  }

  private static Order order(String id, int units) {
    return new Order(id, List.of(new OrderLine(1, units)));
  }
}
