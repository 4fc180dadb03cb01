package dev.holdfast.lock.redisson.faults;

import dev.holdfast.lock.redisson.faults.OrderRefusedException.Reason;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The stock the workload protects, in a {@code redis-server} of its own that no fault touches:
 * reads and writes carry the fencing tokens of the caller's locks, and the store refuses a caller
 * once a holder with a newer token has read or written the product. A read claims the products for
 * its caller, so a read-sleep-write by a holder whose lease ended in between is refused at the
 * write, even when nobody has written yet; the same token from two owners (a failover can issue a
 * token twice) is refused too. Every refused read, and every accepted or refused write, is appended
 * to the store's record.
 *
 * <p>Workers use an instance over a Redisson client of the store; the parent seeds and reads the
 * store with the static methods. Thread-safe.
 */
final class FencedStore {

  private static final String READ = script("fenced-read.lua");
  private static final String WRITE = script("fenced-write.lua");
  private static final int RECORD_PAGE = 10_000;

  private final RScript redis;

  FencedStore(RedissonClient store) {
    this.redis = store.getScript(StringCodec.INSTANCE);
  }

  /**
   * Reads the stock of every item's product, claiming them for {@code owner}.
   *
   * @return the stock per product
   * @throws OrderRefusedException if a newer token, or the same token of another owner, was seen
   */
  Map<Integer, Long> read(String owner, List<OrderItem> items, Map<Integer, Long> tokens)
      throws OrderRefusedException {
    List<Object> args = new ArrayList<>(List.of(owner, Long.toString(System.nanoTime())));
    for (OrderItem item : items) {
      args.add(Integer.toString(item.product()));
      args.add(Long.toString(tokenOf(tokens, item)));
      args.add(Integer.toString(item.quantity()));
    }
    List<Object> reply = run(READ, args);
    Map<Integer, Long> stock = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      stock.put(items.get(i).product(), Long.parseLong((String) reply.get(i + 1)));
    }
    return stock;
  }

  /**
   * Writes the new stock of every item's product, all or none.
   *
   * @throws OrderRefusedException if any product was read or written with a newer token since
   *     {@code owner} read it
   */
  void write(
      String owner, List<OrderItem> items, Map<Integer, Long> tokens, Map<Integer, Long> newStock)
      throws OrderRefusedException {
    List<Object> args = new ArrayList<>(List.of(owner, Long.toString(System.nanoTime())));
    for (OrderItem item : items) {
      args.add(Integer.toString(item.product()));
      args.add(Long.toString(tokenOf(tokens, item)));
      args.add(Long.toString(Objects.requireNonNull(newStock.get(item.product()), "new stock")));
      args.add(Integer.toString(item.quantity()));
    }
    run(WRITE, args);
  }

  private List<Object> run(String script, List<Object> args) throws OrderRefusedException {
    List<Object> reply =
        redis.eval(
            RScript.Mode.READ_WRITE, script, RScript.ReturnType.LIST, List.of(), args.toArray());
    if (!"ok".equals(reply.get(0))) {
      throw new OrderRefusedException(Reason.STALE_FENCE, String.valueOf(reply.get(1)));
    }
    return reply;
  }

  private static long tokenOf(Map<Integer, Long> tokens, OrderItem item) {
    Long token = tokens.get(item.product());
    if (token == null) {
      throw new IllegalArgumentException("no fencing token for product " + item.product());
    }
    return token;
  }

  /** Sets every product's stock and clears the record; the store must not be in use. */
  static void seed(RedisServer store, Map<Integer, Long> stock) {
    store.call("FLUSHALL");
    List<String> command = new ArrayList<>(List.of("MSET"));
    stock.forEach(
        (product, units) -> {
          command.add("stock:" + product);
          command.add(Long.toString(units));
        });
    store.call(command.toArray(String[]::new));
  }

  /** Each product's stock now. */
  static Map<Integer, Long> stock(RedisServer store, Iterable<Integer> products) {
    Map<Integer, Long> stock = new LinkedHashMap<>();
    for (int product : products) {
      Object units = store.call("GET", "stock:" + product);
      stock.put(product, units == null ? 0L : Long.parseLong((String) units));
    }
    return stock;
  }

  /** How many orders the store has committed so far. */
  static long commits(RedisServer store) {
    Object commits = store.call("GET", "commits");
    return commits == null ? 0 : Long.parseLong((String) commits);
  }

  /** The whole record, in the order the store applied it. */
  static List<StoreRecord> record(RedisServer store) {
    List<StoreRecord> records = new ArrayList<>();
    for (int from = 0; ; from += RECORD_PAGE) {
      List<?> page =
          (List<?>)
              Objects.requireNonNull(
                  store.call(
                      "LRANGE",
                      "record",
                      Integer.toString(from),
                      Integer.toString(from + RECORD_PAGE - 1)));
      page.forEach(line -> records.add(StoreRecord.parse((String) line)));
      if (page.size() < RECORD_PAGE) {
        return records;
      }
    }
  }

  private static String script(String name) {
    try (InputStream in = FencedStore.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + name + " is missing from the test classes");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Lua script " + name, e);
    }
  }
}
