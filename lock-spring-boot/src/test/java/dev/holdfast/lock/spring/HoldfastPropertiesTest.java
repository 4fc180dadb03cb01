package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** How {@code holdfast.*} binds, maps onto lock-api's policies and the Redis builder, and fails. */
final class HoldfastPropertiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withPropertyValues("holdfast.provider=in-memory");

  private final ApplicationContextRunner onRedis =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withBean(RedissonClient.class, SharedRedis::client);

  @Test
  void theDefaultsAreLockApisAndLockRedissonsOwn() {
    HoldfastProperties properties = new HoldfastProperties();

    assertThat(properties.getProvider()).isEqualTo(ProviderType.REDISSON);
    assertThat(properties.getTransactionCheck()).isEqualTo(TransactionCheck.FAIL);
    assertThat(properties.getDefaults().getWaitTime()).isEqualTo(LockPolicy.DEFAULT_WAIT_TIME);
    assertThat(properties.getDefaults().getLeaseTime()).isEqualTo(LockPolicy.DEFAULT_LEASE_TIME);
    assertThat(properties.getDefaults().getLeaseMode()).isEqualTo(LockPolicy.DEFAULT_LEASE_MODE);
    assertThat(properties.getRedis().getResponseTimeout())
        .isEqualTo(RedissonLockProvider.DEFAULT_RESPONSE_TIMEOUT);
    assertThat(properties.getRedis().getPollInterval())
        .isEqualTo(RedissonLockProvider.DEFAULT_POLL_INTERVAL);
  }

  @Test
  void theRedisEnumsStandForLockRedissonsOneForOne() {
    assertThat(names(RedisMode.values())).isEqualTo(names(RedissonLockProvider.Mode.values()));
    assertThat(names(RedisStartupCheck.values()))
        .isEqualTo(names(RedissonLockProvider.StartupCheck.values()));
  }

  @Test
  void withoutPropertiesEveryKeyGetsLockApisDefaultPolicy() {
    runner.run(
        context -> {
          LockPolicy policy = context.getBean(LockPolicies.class).policyFor("lock:order:1");

          assertThat(policy.name()).isEqualTo("default");
          assertThat(policy.waitTime()).isEqualTo(LockPolicy.DEFAULT_WAIT_TIME);
          assertThat(policy.leaseTime()).isEqualTo(LockPolicy.DEFAULT_LEASE_TIME);
          assertThat(policy.leaseMode()).isEqualTo(LockPolicy.DEFAULT_LEASE_MODE);
        });
  }

  @Test
  void namedPoliciesMapOntoLockPoliciesAndTakeWhatTheyLeaveOutFromTheDefaults() {
    runner
        .withPropertyValues(
            "holdfast.defaults.wait-time=2s",
            "holdfast.defaults.lease-time=20s",
            "holdfast.defaults.lease-mode=renewing",
            "holdfast.policies.product.pattern=lock:product:*",
            "holdfast.policies.product.lease-time=10s",
            "holdfast.policies.hot.pattern=lock:product:hot-*",
            "holdfast.policies.hot.wait-time=200ms",
            "holdfast.policies.hot.lease-mode=fixed")
        .run(
            context -> {
              LockPolicies policies = context.getBean(LockPolicies.class);

              LockPolicy other = policies.policyFor("lock:order:1");
              assertThat(other.name()).isEqualTo("default");
              assertThat(other.waitTime()).isEqualTo(Duration.ofSeconds(2));
              assertThat(other.leaseTime()).isEqualTo(Duration.ofSeconds(20));
              assertThat(other.leaseMode()).isEqualTo(LeaseMode.RENEWING);
              LockPolicy product = policies.policyFor("lock:product:7");
              assertThat(product.name()).isEqualTo("product");
              assertThat(product.waitTime()).isEqualTo(Duration.ofSeconds(2));
              assertThat(product.leaseTime()).isEqualTo(Duration.ofSeconds(10));
              assertThat(product.leaseMode()).isEqualTo(LeaseMode.RENEWING);
              LockPolicy hot = policies.policyFor("lock:product:hot-3");
              assertThat(hot.name()).isEqualTo("hot");
              assertThat(hot.waitTime()).isEqualTo(Duration.ofMillis(200));
              assertThat(hot.leaseTime()).isEqualTo(Duration.ofSeconds(20));
              assertThat(hot.leaseMode()).isEqualTo(LeaseMode.FIXED);
            });
  }

  @Test
  void theTemplateResolvesCallsWithTheConfiguredPolicies() {
    List<LockRequest> requests = new CopyOnWriteArrayList<>();

    runner
        .withPropertyValues(
            "holdfast.policies.hot.pattern=lock:product:hot-*",
            "holdfast.policies.hot.wait-time=0ms")
        .withBean(
            LockListener.class,
            () ->
                new LockListener() {
                  @Override
                  public void onAttempt(LockRequest request) {
                    requests.add(request);
                  }
                })
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock("lock:product:hot-1", held -> "");

              assertThat(requests)
                  .singleElement()
                  .extracting(LockRequest::policyName)
                  .isEqualTo("hot");
              assertThat(requests.get(0).waitTime()).isZero();
            });
  }

  @Test
  void aNegativeWaitTimeFailsStartupNamingThePropertyAndValue() {
    runner
        .withPropertyValues(
            "holdfast.policies.hot.pattern=lock:hot:*", "holdfast.policies.hot.wait-time=-1s")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.policies.hot.wait-time");
              assertThat(invalid.getValue()).isEqualTo(Duration.ofSeconds(-1));
              assertThat(invalid.getReason()).contains("waitTime").contains("PT-1S");
            });
  }

  @Test
  void aLeaseBelowOneMillisecondInTheDefaultsFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues("holdfast.defaults.lease-time=0s")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.defaults.lease-time");
              assertThat(invalid.getValue()).isEqualTo(Duration.ZERO);
            });
  }

  @Test
  void aPolicyWithoutAPatternFailsStartupNamingTheMissingProperty() {
    runner
        .withPropertyValues("holdfast.policies.hot.wait-time=1s")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.policies.hot.pattern");
              assertThat(invalid.getReason()).contains("every policy needs the pattern");
            });
  }

  @Test
  void twoPoliciesWithOnePatternFailStartupNamingTheSecond() {
    runner
        .withPropertyValues(
            "holdfast.policies.first.pattern=lock:product:*",
            "holdfast.policies.second.pattern=lock:product:*")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.policies.second.pattern");
              assertThat(invalid.getValue()).isEqualTo("lock:product:*");
              assertThat(invalid.getReason()).contains("already mapped");
            });
  }

  @Test
  void aPolicyNameThatCannotBeAMetricsTagFailsStartupNamingIt() {
    runner
        .withPropertyValues("holdfast.policies[hot products].pattern=lock:product:hot-*")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.policies.hot products");
              assertThat(invalid.getReason()).contains("[A-Za-z0-9_.-]");
            });
  }

  @Test
  void aPolicyNamedDefaultFailsStartup() {
    runner
        .withPropertyValues("holdfast.policies.default.pattern=lock:*")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.policies.default");
              assertThat(invalid.getReason()).contains("holdfast.defaults");
            });
  }

  @Test
  void aDurationThatDoesNotParseFailsStartupNamingThePropertyAndValue() {
    runner
        .withPropertyValues("holdfast.defaults.wait-time=soon")
        .run(
            context -> {
              BindException failure = causeOfType(context.getStartupFailure(), BindException.class);

              assertThat(failure.getProperty()).isNotNull();
              assertThat(failure.getProperty().getName().toString())
                  .isEqualTo("holdfast.defaults.wait-time");
              assertThat(failure.getProperty().getValue()).isEqualTo("soon");
            });
  }

  @Test
  void theRedisModeReachesTheProvider() {
    onRedis
        .withPropertyValues("holdfast.redis.mode=redisson-compatible")
        .run(
            context ->
                assertThat(context.getBean(RedissonLockProvider.class).mode())
                    .isEqualTo(RedissonLockProvider.Mode.REDISSON_COMPATIBLE));
  }

  @Test
  void aResponseTimeoutTheProviderRejectsFailsStartupNamingTheProperty() {
    onRedis
        .withPropertyValues("holdfast.redis.response-timeout=0ms")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName()).isEqualTo("holdfast.redis.response-timeout");
              assertThat(invalid.getReason()).contains("between 1 ms and 1 hour");
            });
  }

  @Test
  void aPollIntervalTheProviderRejectsFailsStartupNamingTheProperty() {
    onRedis
        .withPropertyValues("holdfast.redis.poll-interval=2h")
        .run(
            context ->
                assertThat(invalidProperty(context.getStartupFailure()).getName())
                    .isEqualTo("holdfast.redis.poll-interval"));
  }

  /** The standalone test server has no replica: the replica count check refuses by default. */
  @Test
  void aReplicaAcknowledgementReachesTheProviderWhoseStartupCheckRefusesTooFewReplicas() {
    onRedis
        .withPropertyValues("holdfast.redis.replica-acknowledgement.replicas=1")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("replicaAcknowledgement requires 1 replica(s)"));
  }

  @Test
  void theReplicaCountCheckReachesTheProvider() {
    onRedis
        .withPropertyValues(
            "holdfast.redis.replica-acknowledgement.replicas=1",
            "holdfast.redis.replica-count-check=warn")
        .run(
            context ->
                assertThat(context.getBean(RedissonLockProvider.class).startupFindings())
                    .singleElement()
                    .asString()
                    .contains("replicaAcknowledgement requires 1 replica(s)"));
  }

  @Test
  void aReplicaAcknowledgementTimeoutTheProviderRejectsFailsStartupNamingTheProperty() {
    onRedis
        .withPropertyValues(
            "holdfast.redis.replica-acknowledgement.replicas=1",
            "holdfast.redis.replica-acknowledgement.timeout=0ms")
        .run(
            context ->
                assertThat(invalidProperty(context.getStartupFailure()).getName())
                    .isEqualTo("holdfast.redis.replica-acknowledgement.timeout"));
  }

  @Test
  void aReplicaAcknowledgementOutsideAtomicModeFailsStartupNamingTheProperty() {
    onRedis
        .withPropertyValues(
            "holdfast.redis.mode=redisson-compatible",
            "holdfast.redis.replica-acknowledgement.replicas=1")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException invalid =
                  invalidProperty(context.getStartupFailure());

              assertThat(invalid.getName())
                  .isEqualTo("holdfast.redis.replica-acknowledgement.replicas");
              assertThat(invalid.getReason()).contains("holdfast.redis.mode=atomic only");
            });
  }

  @Test
  void aNegativeReplicaCountFailsStartupNamingTheProperty() {
    onRedis
        .withPropertyValues("holdfast.redis.replica-acknowledgement.replicas=-1")
        .run(
            context ->
                assertThat(invalidProperty(context.getStartupFailure()).getValue()).isEqualTo(-1));
  }

  @Test
  void theEvictionPolicyCheckReachesTheProvider() {
    SharedRedis.server().call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    try {
      onRedis
          .withPropertyValues("holdfast.redis.eviction-policy-check=refuse")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining("maxmemory-policy allkeys-lru"));
    } finally {
      SharedRedis.server().call("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
  }

  private static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
    return causeOfType(failure, InvalidConfigurationPropertyValueException.class);
  }

  private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
    Throwable cause = failure;
    while (cause != null && !type.isInstance(cause)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("a %s causing %s", type.getSimpleName(), failure).isNotNull();
    return type.cast(cause);
  }

  private static List<String> names(Enum<?>[] constants) {
    return Arrays.stream(constants).map(Enum::name).toList();
  }
}
