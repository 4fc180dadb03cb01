package dev.holdfast.examples.benchmarks;

import dev.holdfast.lock.LockAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.redisson.RedissonMultiLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * What every benchmark shares: one wait and one lease for all contenders, the empty work done under
 * the lock, key names, and the lock calls a Redisson user writes by hand.
 */
final class Workloads {

  /** Long enough that no contender ever times out; a timeout fails the benchmark. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A fixed lease, far longer than an operation, so no lease ever ends while held. */
  static final Duration LEASE = Duration.ofSeconds(30);

  /** The work under the lock: none, so that the lock's own cost is what is measured. */
  static final LockAction<RuntimeException> NOTHING = held -> {};

  /** The threads of the multi-threaded workloads. */
  static final int THREADS = 16;

  private Workloads() {}

  /**
   * Names {@code count} keys of one workload and contender, so that no two benchmarks share a key
   * even when they run in one JVM.
   */
  static String[] keys(String workload, String contender, int count) {
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = String.format(Locale.ROOT, "bench:%s:%s:k%02d", workload, contender, i);
    }
    return keys;
  }

  /** Three distinct keys in random order: each contender puts them in its own order. */
  static List<String> threeOf(String[] keys) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(keys.length);
    int b;
    do {
      b = random.nextInt(keys.length);
    } while (b == a);
    int c;
    do {
      c = random.nextInt(keys.length);
    } while (c == a || c == b);
    return List.of(keys[a], keys[b], keys[c]);
  }

  /** What a Redisson user writes for one key: {@code tryLock(wait, lease)}, then {@code unlock}. */
  static void redissonLockOnce(RedissonClient client, String key) throws InterruptedException {
    lockOnce(client.getLock(key), key);
  }

  /**
   * What a Redisson user writes for several keys: a {@link RedissonMultiLock} over their {@code
   * RLock}s in sorted order, so that two callers never take them in opposite orders.
   */
  static void multiLockOnce(RedissonClient client, List<String> keys) throws InterruptedException {
    String[] sorted = keys.toArray(new String[0]);
    Arrays.sort(sorted);
    RLock[] locks = new RLock[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      locks[i] = client.getLock(sorted[i]);
    }
    lockOnce(new RedissonMultiLock(locks), keys);
  }

  /** Redisson's watchdog mode: {@code tryLock(wait)} without a lease renews it while held. */
  static void watchdogLockOnce(RedissonClient client, String key) throws InterruptedException {
    RLock lock = client.getLock(key);
    if (!lock.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw notAcquired(key);
    }
    lock.unlock();
  }

  private static void lockOnce(RLock lock, Object keys) throws InterruptedException {
    if (!lock.tryLock(WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw notAcquired(keys);
    }
    lock.unlock();
  }

  /** A wait that ended: the benchmark fails rather than count an operation that locked nothing. */
  static IllegalStateException notAcquired(Object keys) {
    return new IllegalStateException("Not acquired within " + WAIT + ": " + keys);
  }
}
