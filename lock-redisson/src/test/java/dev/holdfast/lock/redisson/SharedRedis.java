package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import org.redisson.api.RedissonClient;

/**
 * One {@code redis-server} and two independent Redisson clients, shared by the test classes of this
 * JVM that do not inject faults: a Redisson client costs seconds to create here. Started on first
 * use; the server ends with the JVM.
 */
final class SharedRedis {

  private static final RedisServer SERVER = RedisServer.start();
  private static final RedissonClient FIRST = TestRedisson.connect(SERVER);
  private static final RedissonClient SECOND = TestRedisson.connect(SERVER);

  private SharedRedis() {}

  static RedisServer server() {
    return SERVER;
  }

  /** The client the tests' providers use. */
  static RedissonClient client() {
    return FIRST;
  }

  /** A second client of the same server, with its own connections: another "process". */
  static RedissonClient secondClient() {
    return SECOND;
  }
}
