package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.lock.redisson.faults.OrderRefusedException.Reason;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The fault suite's store refuses stale holders and records what it accepted and refused. */
final class FencedStoreTest {

  private static final List<OrderItem> TWO_OF_7 = List.of(new OrderItem(7, 2));

  private static RedisServer server;
  private static RedissonClient client;
  private static FencedStore store;

  @BeforeAll
  static void startStore() {
    server = RedisServer.start();
    client = TestRedisson.connect(server);
    store = new FencedStore(client);
  }

  @AfterAll
  static void stopStore() {
    TestRedisson.shutdown(client);
    server.close();
  }

  @BeforeEach
  void seed() {
    FencedStore.seed(server, Map.of(7, 10L, 8, 10L));
  }

  @Test
  void acceptsAReadAndWriteUnderOneTokenAndRecordsTheWrite() throws Exception {
    Map<Integer, Long> stock = store.read("a", TWO_OF_7, Map.of(7, 1L));
    store.write("a", TWO_OF_7, Map.of(7, 1L), Map.of(7, stock.get(7) - 2));

    assertThat(stock).containsExactly(Map.entry(7, 10L));
    assertThat(FencedStore.stock(server, List.of(7))).containsExactly(Map.entry(7, 8L));
    assertThat(FencedStore.record(server))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.isAcceptedWrite()).isTrue();
              assertThat(record.owner()).isEqualTo("a");
              assertThat(record.token()).isEqualTo(1);
              assertThat(record.stock()).isEqualTo(8);
              assertThat(record.quantity()).isEqualTo(2);
            });
    assertThat(FencedStore.commits(server)).isEqualTo(1);
  }

  @Test
  void refusesTheWriteOfAHolderWhoseProductWasReadWithANewerTokenMeanwhile() throws Exception {
    store.read("old", TWO_OF_7, Map.of(7, 1L));
    store.read("new", TWO_OF_7, Map.of(7, 2L));

    OrderRefusedException refused =
        catchThrowableOfType(
            OrderRefusedException.class,
            () -> store.write("old", TWO_OF_7, Map.of(7, 1L), Map.of(7, 8L)));

    assertThat(refused.reason()).isEqualTo(Reason.STALE_FENCE);
    assertThat(FencedStore.stock(server, List.of(7))).containsExactly(Map.entry(7, 10L));
    assertThat(FencedStore.record(server))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.op()).isEqualTo(StoreRecord.WRITE);
              assertThat(record.accepted()).isFalse();
              assertThat(record.reason()).startsWith("superseded:fence=2:holder=new");
            });
  }

  @Test
  void refusesAReadWithAnOlderTokenThanOneSeen() throws Exception {
    store.read("new", TWO_OF_7, Map.of(7, 5L));

    OrderRefusedException refused =
        catchThrowableOfType(
            OrderRefusedException.class, () -> store.read("old", TWO_OF_7, Map.of(7, 4L)));

    assertThat(refused.reason()).isEqualTo(Reason.STALE_FENCE);
    assertThat(FencedStore.record(server))
        .singleElement()
        .satisfies(record -> assertThat(record.reason()).startsWith("stale"));
  }

  @Test
  void refusesTheSameTokenFromAnotherOwnerAsAFailoverCanIssueIt() throws Exception {
    store.read("first", TWO_OF_7, Map.of(7, 5L));

    OrderRefusedException refused =
        catchThrowableOfType(
            OrderRefusedException.class, () -> store.read("second", TWO_OF_7, Map.of(7, 5L)));

    assertThat(refused.reason()).isEqualTo(Reason.STALE_FENCE);
    assertThat(FencedStore.record(server))
        .singleElement()
        .satisfies(record -> assertThat(record.reason()).startsWith("duplicate"));
  }

  @Test
  void writesAllItemsOfAnOrderOrNone() throws Exception {
    List<OrderItem> order = List.of(new OrderItem(7, 1), new OrderItem(8, 1));
    Map<Integer, Long> tokens = Map.of(7, 1L, 8, 1L);
    store.read("old", order, tokens);
    store.read("new", List.of(new OrderItem(8, 1)), Map.of(8, 2L));

    catchThrowableOfType(
        OrderRefusedException.class, () -> store.write("old", order, tokens, Map.of(7, 9L, 8, 9L)));

    assertThat(FencedStore.stock(server, List.of(7, 8)))
        .containsExactly(Map.entry(7, 10L), Map.entry(8, 10L));
    assertThat(FencedStore.record(server))
        .hasSize(2)
        .allSatisfy(record -> assertThat(record.accepted()).isFalse());
  }

  @Test
  void aResentWriteOfACommittedOrderChangesNothing() throws Exception {
    store.read("a", TWO_OF_7, Map.of(7, 1L));
    store.write("a", TWO_OF_7, Map.of(7, 1L), Map.of(7, 8L));

    store.write("a", TWO_OF_7, Map.of(7, 1L), Map.of(7, 8L));

    assertThat(FencedStore.record(server)).hasSize(1);
    assertThat(FencedStore.commits(server)).isEqualTo(1);
  }
}
