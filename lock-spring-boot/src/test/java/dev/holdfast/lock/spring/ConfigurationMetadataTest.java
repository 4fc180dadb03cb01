package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * The metadata the annotation processors generate into the jar: what an IDE offers for {@code
 * holdfast.*}, and what Boot reads to order and filter the auto-configurations before loading them.
 */
final class ConfigurationMetadataTest {

  @Test
  void documentsEveryHoldfastPropertyWithItsTypeAndDefault() {
    Map<String, ConfigurationMetadataProperty> properties = holdfastProperties();

    assertThat(properties)
        .containsOnlyKeys(
            "holdfast.provider",
            "holdfast.transaction-check",
            "holdfast.defaults.wait-time",
            "holdfast.defaults.lease-time",
            "holdfast.defaults.lease-mode",
            "holdfast.policies",
            "holdfast.redis.mode",
            "holdfast.redis.response-timeout",
            "holdfast.redis.poll-interval",
            "holdfast.redis.replica-acknowledgement.replicas",
            "holdfast.redis.replica-acknowledgement.timeout",
            "holdfast.redis.eviction-policy-check",
            "holdfast.redis.replica-count-check",
            "holdfast.jdbc.table-name",
            "holdfast.jdbc.create-table",
            "holdfast.jdbc.statement-timeout",
            "holdfast.jdbc.poll-interval",
            "holdfast.jdbc.release-notifications");
    assertThat(defaults(properties))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("holdfast.provider", "redisson"),
                Map.entry("holdfast.transaction-check", "fail"),
                Map.entry("holdfast.defaults.wait-time", "5s"),
                Map.entry("holdfast.defaults.lease-time", "30s"),
                Map.entry("holdfast.defaults.lease-mode", "fixed"),
                Map.entry("holdfast.redis.mode", "atomic"),
                Map.entry("holdfast.redis.response-timeout", "500ms"),
                Map.entry("holdfast.redis.poll-interval", "200ms"),
                Map.entry("holdfast.redis.replica-acknowledgement.replicas", "0"),
                Map.entry("holdfast.redis.replica-acknowledgement.timeout", "100ms"),
                Map.entry("holdfast.redis.eviction-policy-check", "warn"),
                Map.entry("holdfast.redis.replica-count-check", "refuse"),
                Map.entry("holdfast.jdbc.table-name", "holdfast_lock"),
                Map.entry("holdfast.jdbc.create-table", "false"),
                Map.entry("holdfast.jdbc.statement-timeout", "2s"),
                Map.entry("holdfast.jdbc.poll-interval", "200ms"),
                Map.entry("holdfast.jdbc.release-notifications", "true")));
    assertThat(properties.get("holdfast.defaults.wait-time").getType())
        .isEqualTo("java.time.Duration");
    assertThat(properties.get("holdfast.provider").getType())
        .isEqualTo(ProviderType.class.getName());
    assertThat(properties.values())
        .allSatisfy(
            property ->
                assertThat(property.getDescription())
                    .as(property.getId())
                    .isNotBlank()
                    .doesNotContain("{@")
                    .endsWith("."));
  }

  @Test
  void describesWhatANamedPolicyHolds() {
    assertThat(holdfastProperties().get("holdfast.policies").getDescription())
        .contains(
            "holdfast.policies.<name>.pattern",
            ".wait-time",
            ".lease-time",
            ".lease-mode",
            "holdfast.defaults");
  }

  /** Redisson's starter and Boot's metrics are optional, so the order names their classes. */
  @Test
  void ordersAfterRedissonsAndBootsMetricsAutoConfigurationsOnBothBootLines() {
    Properties metadata = autoConfigureMetadata();

    assertThat(
            List.of(
                metadata
                    .getProperty(
                        "dev.holdfast.lock.spring.HoldfastAutoConfiguration.AutoConfigureAfter")
                    .split(",")))
        .contains(
            "org.redisson.spring.starter.RedissonAutoConfigurationV4",
            "org.redisson.spring.starter.RedissonAutoConfigurationV2",
            "org.redisson.spring.starter.RedissonAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration");
    assertThat(
            metadata.getProperty(
                "dev.holdfast.lock.spring.HoldfastHealthAutoConfiguration.AutoConfigureAfter"))
        .isEqualTo("dev.holdfast.lock.spring.HoldfastAutoConfiguration");
  }

  @Test
  void registersEveryAutoConfiguration() {
    String imports =
        read(
            onlyHoldfast(
                resources(
                    "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")));

    assertThat(imports.lines())
        .containsExactly(
            "dev.holdfast.lock.spring.HoldfastAutoConfiguration",
            "dev.holdfast.lock.spring.HoldfastHealthAutoConfiguration",
            "dev.holdfast.lock.spring.DistributedLockAutoConfiguration");
  }

  private static Map<String, ConfigurationMetadataProperty> holdfastProperties() {
    try (InputStream in =
        onlyHoldfast(resources("META-INF/spring-configuration-metadata.json")).openStream()) {
      return ConfigurationMetadataRepositoryJsonBuilder.create(in).build().getAllProperties();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> defaults(
      Map<String, ConfigurationMetadataProperty> properties) {
    Map<String, String> defaults = new LinkedHashMap<>();
    properties.forEach(
        (name, property) -> {
          if (property.getDefaultValue() != null) {
            defaults.put(name, String.valueOf(property.getDefaultValue()));
          }
        });
    return defaults;
  }

  private static Properties autoConfigureMetadata() {
    Properties metadata = new Properties();
    try (InputStream in =
        onlyHoldfast(resources("META-INF/spring-autoconfigure-metadata.properties")).openStream()) {
      metadata.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return metadata;
  }

  /** Boot's own jars hold files of the same names: the one of this module names Holdfast. */
  private static URL onlyHoldfast(List<URL> candidates) {
    List<URL> holdfast = new ArrayList<>();
    for (URL candidate : candidates) {
      if (read(candidate).contains("dev.holdfast.lock.spring")) {
        holdfast.add(candidate);
      }
    }
    assertThat(holdfast).as("Holdfast's among %s", candidates).hasSize(1);
    return holdfast.get(0);
  }

  private static List<URL> resources(String name) {
    try {
      return Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(URL url) {
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
