package dev.holdfast.examples.shop.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.spring.starter.RedissonAutoConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * The class path this module runs the shop's tests on: Spring Boot 3.5 and Redisson 3.52 with its
 * starter, not the Boot 4 and Redisson 4 lines the shop is built on. Without this check a
 * dependency change could turn the Boot 3 run into a second Boot 4 run that passes for the wrong
 * reason.
 */
final class BootLineTest {

  @Test
  void springBootOnTheClassPathIsThe35Line() {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    assertThat(SpringVersion.getVersion()).startsWith("6.2.");
  }

  @Test
  void redissonAndItsStarterOnTheClassPathAreThe352Line() {
    assertThat(Redisson.class.getPackage().getImplementationVersion()).startsWith("3.52.");
    assertThat(RedissonAutoConfiguration.class.getPackage().getImplementationVersion())
        .startsWith("3.52.");
  }
}
