package dev.holdfast.lock.spring;

import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import org.redisson.api.RedissonClient;

/**
 * One private {@code redis-server} and one Redisson client, shared by this JVM's test classes: a
 * client costs seconds to create, and every application context a test starts builds its provider
 * from this client, as an application's would from its own. Started on first use; the server ends
 * with the JVM. Tests that pause the server resume it before they end.
 */
final class SharedRedis {

  private static final RedisServer SERVER = RedisServer.start();
  private static final RedissonClient CLIENT = TestRedisson.connect(SERVER);

  private SharedRedis() {}

  static RedisServer server() {
    return SERVER;
  }

  static RedissonClient client() {
    return CLIENT;
  }
}
