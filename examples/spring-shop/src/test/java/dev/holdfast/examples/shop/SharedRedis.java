package dev.holdfast.examples.shop;

import dev.holdfast.lock.redisson.testing.RedisServer;

/**
 * One private {@code redis-server} on a free port, shared by this JVM's test classes: every shop
 * instance a test starts points its Redisson starter at it. Started on first use; stopped when the
 * JVM exits.
 */
final class SharedRedis {

  private static final RedisServer SERVER = RedisServer.start();

  private SharedRedis() {}

  static RedisServer server() {
    return SERVER;
  }
}
