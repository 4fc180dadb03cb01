package dev.holdfast.lock.inmemory.readme;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class InMemoryExample {
  public static void main(String[] args) {
    Map<Integer, Integer> stock = new TreeMap<>(Map.of(3, 5, 7, 5));

    LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create()); // one per JVM, shared
    long token =
        locks.executeWithLocks(
            List.of("lock:product:7", "lock:product:3", "lock:product:7"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30), // validated, then ignored: an in-memory key has no lease
            held -> {
              held.checkHeld(); // never throws here: nothing is lost without a lease
              stock.merge(7, -2, Integer::sum);
              stock.merge(3, -1, Integer::sum);
              return held.fencingToken("lock:product:7").orElseThrow();
            });
    System.out.println("stock " + stock + ", fencing token of lock:product:7: " + token);
  }
}
