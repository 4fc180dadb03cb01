package dev.holdfast.examples.inventory;

import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import org.redisson.api.RedissonClient;

/**
 * One private {@code redis-server} and two Redisson clients, each standing for a service instance,
 * shared by this JVM's test classes: a client costs seconds to create. Started on first use; the
 * server ends with the JVM.
 */
final class SharedRedis {

  private static final RedisServer SERVER = RedisServer.start();
  private static final RedissonClient FIRST = TestRedisson.connect(SERVER);
  private static final RedissonClient SECOND = TestRedisson.connect(SERVER);

  private SharedRedis() {}

  static RedissonClient first() {
    return FIRST;
  }

  static RedissonClient second() {
    return SECOND;
  }
}
