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
 * none; then the order is recorded in the database, and if that fails and the database does not
 * have the order, the units are given back. Taking and giving back are idempotent per order id.
 *
 * <p>Redis is the stock's only copy while the sale runs: the database's stock column is not
 * updated, and if Redis loses its data (a restart without persistence, a failover to a replica that
 * lagged) the stock is unknown until it is reloaded and reconciled against the recorded orders. A
 * process that dies between the script and the database insert has taken units that no order
 * records: they stay missing until such a reconciliation.
 *
 * <p>One key per product, {@code <prefix>product:<id>}, holding the units left as an integer, and
 * one marker per order whose units are taken, {@code <prefix>order:<id>}, which stays for the sale
 * (delete the prefix's keys after it). On Redis Cluster the keys of one order must share a hash
 * slot: put a hash tag in the prefix, such as {@code {stock}:}. Thread-safe.
 */
public final class RedisStock implements OrderPlacer {

  /**
   * KEYS: the order's marker, then its products. ARGV: the products' quantities. Returns {0} when
   * it deducted every line and set the marker, {3} when the marker was set already (this order's
   * units were taken before: a resent script or a retried order) and deducted nothing, {1, i, left}
   * when product i is short and {2, i} when product i is unknown, both deducting nothing.
   */
  private static final String TAKE =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 then return {3} end
      for i = 2, #KEYS do
        local left = redis.call('GET', KEYS[i])
        if not left then return {2, i - 1} end
        if tonumber(left) < tonumber(ARGV[i - 1]) then return {1, i - 1, tonumber(left)} end
      end
      redis.call('SET', KEYS[1], '1')
      for i = 2, #KEYS do
        redis.call('DECRBY', KEYS[i], ARGV[i - 1])
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

  /**
   * KEYS: the order's marker, then its products. Gives the units back only if it deletes the
   * marker, so that a resent script gives them back once.
   */
  private static final String GIVE_BACK =
      """
      if redis.call('DEL', KEYS[1]) == 0 then return 0 end
      for i = 2, #KEYS do
        redis.call('INCRBY', KEYS[i], ARGV[i - 1])
      end
      return 1
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
   * Copies the inventory's stock into Redis, replacing what Redis held, and deletes the order
   * markers of earlier sales under this prefix: a marker left over would make an order that reuses
   * its id take no units. Do it before the sale starts, while no order is placed.
   *
   * @throws StoreException if the database failed
   */
  public void loadFromInventory() {
    redisson.getKeys().deleteByPattern(marker("*"));
    eval(LOAD, RScript.ReturnType.LONG, List.of(), inventory.stock());
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
   * <p>Takes the units in Redis in one script, then records the order in the database. Taking is
   * idempotent per order id: the script also sets a marker {@code <prefix>order:<id>}, and a second
   * take of the same order (a script Redisson resent after a timeout, or the caller retrying the
   * order) deducts nothing. If recording fails, the units are given back only when the database
   * says the order is not recorded: a commit whose reply was lost recorded it, and giving its units
   * back would sell them twice. If that check fails too, the units stay taken (the sale undersells
   * until reconciled) and the exception says so in a suppressed exception.
   *
   * @throws IllegalArgumentException if Redis holds no stock for a product of the order
   * @throws StoreException if the database failed; whether the order was recorded is then what
   *     {@link Inventory#orderExists(String)} says, and retrying it with the same id is safe
   */
  @Override
  public OrderConfirmation placeOrder(Order order) throws OutOfStockException {
    SortedMap<Long, Integer> quantities = order.quantities();
    List<Object> marker = List.of(marker(order.id()));
    List<?> reply = (List<?>) eval(TAKE, RScript.ReturnType.LIST, marker, quantities);
    long outcome = (Long) reply.get(0);
    if (outcome == 1 || outcome == 2) {
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
      giveBackUnlessRecorded(order, marker, quantities, e);
      throw e;
    }
    return new OrderConfirmation(order.id(), order.units());
  }

  private void giveBackUnlessRecorded(
      Order order, List<Object> marker, SortedMap<Long, Integer> quantities, RuntimeException e) {
    boolean recorded;
    try {
      recorded = inventory.orderExists(order.id());
    } catch (RuntimeException checkFailed) {
      e.addSuppressed(
          new IllegalStateException(
              "Kept the units of order "
                  + order.id()
                  + " taken in Redis: could not tell whether the database recorded it, and giving"
                  + " them back if it did would oversell; the sale undersells them until"
                  + " reconciled",
              checkFailed));
      return;
    }
    if (recorded) {
      return;
    }
    try {
      eval(GIVE_BACK, RScript.ReturnType.LONG, marker, quantities);
    } catch (RuntimeException giveBackFailed) {
      e.addSuppressed(giveBackFailed);
    }
  }

  /**
   * Runs {@code script} with {@code firstKeys}, then one key per product, and each product's number
   * as an argument.
   */
  private Object eval(
      String script,
      RScript.ReturnType returnType,
      List<Object> firstKeys,
      Map<Long, ? extends Number> perProduct) {
    List<Object> keys = new ArrayList<>(firstKeys);
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

  private String marker(String orderId) {
    return keyPrefix + "order:" + orderId;
  }

  private String key(long productId) {
    return keyPrefix + "product:" + productId;
  }

  @Override
  public String toString() {
    return "RedisStock[" + keyPrefix + "product:*, orders in " + inventory + "]";
  }
}
