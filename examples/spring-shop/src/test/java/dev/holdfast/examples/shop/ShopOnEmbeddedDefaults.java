package dev.holdfast.examples.shop;

import dev.holdfast.lock.redisson.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;

/**
 * Runs the shop with nothing installed but {@code redis-server}: a private {@code redis-server} on
 * a free port (stopped when the JVM exits), the embedded H2 database, and a few products to order.
 * The README's one command ({@code -Pdemo}) runs this; arguments are passed on to Spring Boot, for
 * example {@code --server.port=8081} or {@code --spring.datasource.url=jdbc:postgresql://...}.
 */
final class ShopOnEmbeddedDefaults {

  private ShopOnEmbeddedDefaults() {}

  public static void main(String[] args) {
    RedisServer redis = RedisServer.start();
    List<String> arguments = new ArrayList<>();
    arguments.add("--spring.data.redis.host=" + redis.host());
    arguments.add("--spring.data.redis.port=" + redis.port());
    arguments.add("--spring.sql.init.data-locations=classpath:demo-products.sql");
    arguments.addAll(List.of(args));
    SpringApplication.run(ShopApplication.class, arguments.toArray(String[]::new));
  }
}
