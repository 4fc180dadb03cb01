package dev.holdfast.examples.benchmarks;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The Redis contenders' state. A benchmark method names the one it uses, so each JMH fork connects
 * exactly one Redisson client, with Redisson's default settings (what a user starts from), and no
 * contender inherits another's connections or subscriptions.
 */
public final class RedisStates {

  /** The name of the parameter that carries the server's address; the profiler reads it too. */
  public static final String ADDRESS_PARAM = "redisAddress";

  private static final String UNSET = "unset";

  /** Redisson's default {@code timeout}: how long it waits for a reply before retrying. */
  private static final Duration REDISSON_TIMEOUT = Duration.ofSeconds(3);

  private RedisStates() {}

  /** One Redisson client on the server the suite was given. */
  @State(Scope.Benchmark)
  public static class Client {

    /** The server, {@code redis://host:port}; the suite sets it. */
    @Param(UNSET)
    public String redisAddress = UNSET;

    private @Nullable RedissonClient client;

    /** Creates the state; JMH calls it. */
    public Client() {}

    /** Connects. */
    @Setup(Level.Trial)
    public void connect() {
      if (!redisAddress.startsWith("redis://")) {
        throw new IllegalArgumentException(
            ADDRESS_PARAM + " must be redis://host:port, was \"" + redisAddress + '"');
      }
      Config config = new Config();
      config.useSingleServer().setAddress(redisAddress);
      client = Redisson.create(config);
    }

    /** Shuts the client down. */
    @TearDown(Level.Trial)
    public void shutdown() {
      if (client != null) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }

    RedissonClient redisson() {
      if (client == null) {
        throw new IllegalStateException("not connected: JMH calls connect() first");
      }
      return client;
    }
  }

  /** Holdfast's part shared by its three set-ups: a provider on the client, and a template. */
  abstract static class Holdfast {

    private @Nullable RedissonLockProvider provider;
    private @Nullable LockTemplate template;

    void build(Client client, Mode mode, LockPolicies policies) {
      // Redisson's default command timeout, which the RLock peer runs with: a reply stalled on this
      // crowded machine gets the same time on both sides, instead of failing Holdfast's run alone.
      RedissonLockProvider built =
          RedissonLockProvider.builder(client.redisson())
              .mode(mode)
              .responseTimeout(REDISSON_TIMEOUT)
              .build();
      provider = built;
      template = LockTemplate.builder(built).policies(policies).build();
    }

    /** Stops the provider's background work; the client is the {@link Client} state's. */
    @TearDown(Level.Trial)
    public void close() {
      if (provider != null) {
        provider.close();
      }
    }

    LockTemplate template() {
      if (template == null) {
        throw new IllegalStateException("not built: JMH calls the set-up first");
      }
      return template;
    }
  }

  /** Holdfast in {@link Mode#ATOMIC}, fixed leases. */
  @State(Scope.Benchmark)
  public static class Atomic extends Holdfast {

    /** Creates the state; JMH calls it. */
    public Atomic() {}

    /**
     * Builds the provider.
     *
     * @param client the connection
     */
    @Setup(Level.Trial)
    public void setUp(Client client) {
      build(client, Mode.ATOMIC, LockPolicies.ofDefaults());
    }
  }

  /** Holdfast in {@link Mode#REDISSON_COMPATIBLE}, fixed leases. */
  @State(Scope.Benchmark)
  public static class Compatible extends Holdfast {

    /** Creates the state; JMH calls it. */
    public Compatible() {}

    /**
     * Builds the provider.
     *
     * @param client the connection
     */
    @Setup(Level.Trial)
    public void setUp(Client client) {
      build(client, Mode.REDISSON_COMPATIBLE, LockPolicies.ofDefaults());
    }
  }

  /**
   * Holdfast in {@link Mode#ATOMIC} with {@link LeaseMode#RENEWING} leases of {@link
   * Workloads#LEASE}, from the default policy: calls without times use it.
   */
  @State(Scope.Benchmark)
  public static class Renewing extends Holdfast {

    /** Creates the state; JMH calls it. */
    public Renewing() {}

    /**
     * Builds the provider.
     *
     * @param client the connection
     */
    @Setup(Level.Trial)
    public void setUp(Client client) {
      LockPolicy renewing =
          LockPolicy.custom("renewing")
              .waitTime(Workloads.WAIT)
              .leaseTime(Workloads.LEASE)
              .leaseMode(LeaseMode.RENEWING)
              .build();
      build(client, Mode.ATOMIC, LockPolicies.builder().defaultPolicy(renewing).build());
    }
  }
}
