package dev.holdfast.lock.redisson.readme;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

public class QuickStart {
  public static void main(String[] args) {
    Config config = new Config();
    config.useSingleServer().setAddress(args.length > 0 ? args[0] : "redis://127.0.0.1:6379");
    RedissonClient redisson = Redisson.create(config); // yours: Holdfast never shuts it down
    try (RedissonLockProvider provider = RedissonLockProvider.builder(redisson).build()) {
      LockTemplate locks = LockTemplate.of(provider); // one per provider, shared by all threads
      Map<Integer, Integer> stock = new TreeMap<>(Map.of(3, 5, 7, 5)); // stands in for your store

      long token =
          locks.executeWithLocks(
              List.of("lock:product:7", "lock:product:3", "lock:product:7"),
              Duration.ofSeconds(2), // wait: for the whole set, not per key
              Duration.ofSeconds(30), // lease: a holder that dies frees its keys after this
              held -> {
                // Runs while both keys are held: de-duplicated, sorted, taken all-or-nothing.
                held.checkHeld(); // right before you commit: throws if a lease has ended
                stock.merge(7, -2, Integer::sum);
                stock.merge(3, -1, Integer::sum);
                return held.fencingToken("lock:product:7").orElseThrow(); // for your store
              }); // the callback's value, or its exception, reaches you unchanged
      System.out.println("stock " + stock + ", fencing token of lock:product:7: " + token);
    } finally {
      redisson.shutdown(); // after the provider, which stops its background thread first
    }
  }
}
