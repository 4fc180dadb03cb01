package dev.holdfast.examples.inventory;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Stock held in Redis and decremented by one Lua script per order, with no lock: the common
 * strategy for flash sales. The script checks every line of the order and decrements all of them or
 * none; then the order is recorded in the database, and if that fails the units are given back.
 *
 * <p>Redis is the stock's only copy while the sale runs: the database's stock column is not
 * updated, and if Redis loses its data (a restart without persistence, a failover to a replica that
 * lagged) the stock is unknown until it is reloaded and reconciled against the recorded orders. A
 * process that dies between the script and the database insert has taken units that no order
 * records: they stay missing until such a reconciliation.
 *
 * <p>One key per product, {@code <prefix>product:<id>}, holding the units left as an integer. On
 * Redis Cluster the keys of one order must share a hash slot: put a hash tag in the prefix, such as
 * {@code {stock}:}. Thread-safe.
 */
public final class RedisStock implements OrderPlacer {

  /**
   * KEYS: the order's products. ARGV: their quantities. Returns {0} when it deducted every line,
   * {1, i, left} when line i is short and nothing was deducted, {2, i} when product i is unknown.
   */
  private static final String TAKE =
      """
      for i = 1, #KEYS do
        local left = redis.call('GET', KEYS[i])
        if not left then return {2, i} end
        if tonumber(left) < tonumber(ARGV[i]) then return {1, i, tonumber(left)} end
      end
      for i = 1, #KEYS do
        redis.call('DECRBY', KEYS[i], ARGV[i])
      end
      return {0}
      """;

  private static final String LOAD =
      """
      for i = 1, #KEYS do
        redis.call('SET', KEYS[i], ARGV[i])
      end
      return 0
      """;

  private static final String GIVE_BACK =
      """
      for i = 1, #KEYS do
        redis.call('INCRBY', KEYS[i], ARGV[i])
      end
      return 0
      """;

  private final RedissonClient redisson;
  private final Inventory inventory;
  private final String keyPrefix;

  /**
   * Creates the strategy.
   *
   * @param redisson the client, which the caller owns and closes
   * @param inventory where orders are recorded
   * @param keyPrefix prefix of the stock keys, for example {@code "stock:"}
   * @throws NullPointerException if an argument is null
   */
  public RedisStock(RedissonClient redisson, Inventory inventory, String keyPrefix) {
    this.redisson = requireNonNull(redisson, "redisson");
    this.inventory = requireNonNull(inventory, "inventory");
    this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix");
  }

  /**
   * Copies the inventory's stock into Redis, replacing what Redis held: do it before the sale
   * starts, while no order is placed.
   *
   * @throws StoreException if the database failed
   */
  public void loadFromInventory() {
    eval(LOAD, RScript.ReturnType.LONG, inventory.stock());
  }

  /**
   * The units left per product in Redis.
   *
   * @param productIds the products to read
   * @return product id to units left, absent for products Redis does not know
   */
  public SortedMap<Long, Long> stock(Iterable<Long> productIds) {
    SortedMap<Long, Long> stock = new TreeMap<>();
    for (long productId : productIds) {
      Object left = redisson.getBucket(key(productId), StringCodec.INSTANCE).get();
      if (left != null) {
        stock.put(productId, Long.parseLong(left.toString()));
      }
    }
    return stock;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Takes the units in Redis in one script, then records the order in the database; gives the
   * units back if that fails.
   *
   * @throws IllegalArgumentException if Redis holds no stock for a product of the order
   */
  @Override
  public OrderConfirmation placeOrder(Order order) throws OutOfStockException {
    SortedMap<Long, Integer> quantities = order.quantities();
    List<?> reply = (List<?>) eval(TAKE, RScript.ReturnType.LIST, quantities);
    long outcome = (Long) reply.get(0);
    if (outcome != 0) {
      Map.Entry<Long, Integer> line =
          new ArrayList<>(quantities.entrySet()).get(((Long) reply.get(1)).intValue() - 1);
      if (outcome == 2) {
        throw new IllegalArgumentException(
            "Order "
                + order.id()
                + " names product "
                + line.getKey()
                + ", which Redis holds no stock of");
      }
      throw new OutOfStockException(
          order.id(), line.getKey(), line.getValue(), (Long) reply.get(2));
    }
    try {
      inventory.recordOrder(order);
    } catch (RuntimeException e) {
      try {
        eval(GIVE_BACK, RScript.ReturnType.LONG, quantities);
      } catch (RuntimeException giveBackFailed) {
        e.addSuppressed(giveBackFailed);
      }
      throw e;
    }
    return new OrderConfirmation(order.id(), order.units());
  }

  /** Runs {@code script} with one key per product and its number as the argument. */
  private Object eval(
      String script, RScript.ReturnType returnType, Map<Long, ? extends Number> perProduct) {
    List<Object> keys = new ArrayList<>();
    List<Object> numbers = new ArrayList<>();
    perProduct.forEach(
        (productId, number) -> {
          keys.add(key(productId));
          numbers.add(number.toString());
        });
    return redisson
        .getScript(StringCodec.INSTANCE)
        .eval(RScript.Mode.READ_WRITE, script, returnType, keys, numbers.toArray());
  }

  private String key(long productId) {
    return keyPrefix + "product:" + productId;
  }

  @Override
  public String toString() {
    return "RedisStock[" + keyPrefix + "product:*, orders in " + inventory + "]";
  }
}
