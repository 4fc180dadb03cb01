package dev.holdfast.examples.oversell;

import dev.holdfast.examples.inventory.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Proves exclusion instead of inferring it from the totals, across processes: run between reading
 * and writing an order's stock, it counts the order in flight on each of its products in Redis,
 * keeps the most orders ever in flight on one product, and counts it out again. Under a lock that
 * excludes, the most is 1. It costs two Redis round trips and a millisecond per order, so the demo
 * runs it only when asked ({@code --check-exclusion}).
 */
final class ExclusionProbe implements Consumer<Order> {

  /** KEYS: the most-in-flight key, then the order's products' in-flight counters. */
  private static final String ENTER =
      """
      for i = 2, #KEYS do
        local now = redis.call('INCR', KEYS[i])
        if now > tonumber(redis.call('GET', KEYS[1]) or '0') then
          redis.call('SET', KEYS[1], now)
        end
      end
      return 0
      """;

  private static final String LEAVE =
      """
      for i = 1, #KEYS do
        redis.call('DECR', KEYS[i])
      end
      return 0
      """;

  private static final String TAKE_MOST =
      """
      local most = tonumber(redis.call('GET', KEYS[1]) or '0')
      redis.call('DEL', KEYS[1])
      return most
      """;

  private final RedissonClient redis;
  private final String keyPrefix;

  /**
   * @param redis the instance's client
   * @param keyPrefix the run's key prefix
   */
  ExclusionProbe(RedissonClient redis, String keyPrefix) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
  }

  @Override
  public void accept(Order order) {
    enter(order);
    try {
      // Long enough for an order that is not excluded to arrive while this one is in flight.
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      leave(order);
    }
  }

  /** Counts {@code order} in flight on each of its products. */
  void enter(Order order) {
    List<Object> keys = new ArrayList<>();
    keys.add(mostKey(keyPrefix));
    keys.addAll(counters(order));
    eval(redis, ENTER, keys);
  }

  /** Counts {@code order} out again. */
  void leave(Order order) {
    eval(redis, LEAVE, counters(order));
  }

  private List<Object> counters(Order order) {
    List<Object> counters = new ArrayList<>();
    order.quantities().keySet().forEach(id -> counters.add(keyPrefix + "in-flight:" + id));
    return counters;
  }

  /** The most orders that were in flight on one product at once since the last call; resets it. */
  static long takeMostInFlight(RedissonClient redis, String keyPrefix) {
    return eval(redis, TAKE_MOST, List.of(mostKey(keyPrefix)));
  }

  private static String mostKey(String keyPrefix) {
    return keyPrefix + "most-in-flight";
  }

  private static long eval(RedissonClient redis, String script, List<Object> keys) {
    Long result =
        redis
            .getScript(StringCodec.INSTANCE)
            .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, keys);
    return result == null ? 0 : result;
  }
}
