package dev.holdfast.examples.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shop: {@code POST /orders}, {@code GET /orders/{id}} and {@code GET /products/{id}}, on the
 * database of {@code spring.datasource.url} (embedded H2 when unset) and the Redis of Redisson's
 * Spring Boot starter ({@code spring.data.redis.*}).
 */
@SpringBootApplication
public class ShopApplication {

  /** Created by Spring. */
  ShopApplication() {}

  /**
   * Starts the shop.
   *
   * @param args Spring Boot arguments, for example {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
