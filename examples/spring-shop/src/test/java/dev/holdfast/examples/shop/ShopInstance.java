package dev.holdfast.examples.shop;

import dev.holdfast.lock.redisson.testing.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running instance of the shop: its own Spring context, Tomcat on a free port, connection pool,
 * and Redisson client from Redisson's starter, as a second server process would have. Instances of
 * one test share the database and the Redis server, nothing else.
 */
final class ShopInstance implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final ShopClient client;

  private ShopInstance(ConfigurableApplicationContext context) {
    this.context = context;
    this.client = new ShopClient(port());
  }

  /**
   * Starts an instance on {@code database} and {@code redis}; {@code properties} are passed as
   * command-line arguments, so that they win over {@code application.properties} and over this
   * method's own settings.
   */
  static ShopInstance start(
      ShopDatabase database, RedisServer redis, Map<String, String> properties) {
    return start(database, redis, properties, List.of());
  }

  /** As {@link #start(ShopDatabase, RedisServer, Map)}, with more configuration classes. */
  static ShopInstance start(
      ShopDatabase database,
      RedisServer redis,
      Map<String, String> properties,
      List<Class<?>> moreSources) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("server.port", "0");
    settings.put("spring.datasource.url", database.url());
    settings.put("spring.datasource.hikari.maximum-pool-size", "8");
    settings.put("spring.data.redis.host", redis.host());
    settings.put("spring.data.redis.port", String.valueOf(redis.port()));
    settings.put("logging.level.root", "WARN");
    // Two seconds, not the default half second: the test machine is shared, and Redis answering
    // late would turn "someone holds it" into a LockBackendException.
    settings.put("holdfast.redis.response-timeout", "2s");
    // Replaced, not repeated: Spring joins a repeated argument's values with commas.
    settings.putAll(properties);
    List<String> args = new ArrayList<>();
    settings.forEach((name, value) -> args.add("--" + name + "=" + value));
    return new ShopInstance(
        new SpringApplicationBuilder(ShopApplication.class)
            .sources(moreSources.toArray(Class<?>[]::new))
            .bannerMode(Banner.Mode.OFF)
            .run(args.toArray(String[]::new)));
  }

  int port() {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /** The instance's HTTP interface. */
  ShopClient http() {
    return client;
  }

  /** One of the instance's beans: its {@link OrderService}, {@code LockTemplate}, ... */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
