package dev.holdfast.examples.benchmarks;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
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
      client = Redisson.create(config(redisAddress));
    }

    /** Redisson's default settings, on the given server. */
    Config config(String address) {
      Config config = new Config();
      config.useSingleServer().setAddress(address);
      return config;
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

  /**
   * A Redisson client of the benchmark thread's own, as if each thread were a process of its own: a
   * release reaches the other contenders' waiters through Redis, not inside one client. Sixteen
   * clients with Redisson's default pools would start hundreds of connections and threads on two
   * cores, so each has a small pool and few threads, the same for every contender.
   */
  @State(Scope.Thread)
  public static class OwnClient extends Client {

    /** Creates the state; JMH calls it. */
    public OwnClient() {}

    @Override
    Config config(String address) {
      Config config = new Config();
      config.setNettyThreads(2).setThreads(2);
      config
          .useSingleServer()
          .setAddress(address)
          .setConnectionMinimumIdleSize(2)
          .setConnectionPoolSize(4)
          .setSubscriptionConnectionPoolSize(4);
      return config;
    }
  }

  /**
   * The floor under any lock of one key that takes and releases it by script: two {@code EVALSHA}
   * round trips of a script that does nothing, through the same client as the contenders use.
   */
  @State(Scope.Benchmark)
  public static class RoundTrips {

    /** Answers 1 and touches nothing. */
    private static final String SCRIPT = "return 1";

    private @Nullable RScript script;
    private String sha = "";

    /** Creates the state; JMH calls it. */
    public RoundTrips() {}

    /**
     * Loads the script.
     *
     * @param client the connection
     */
    @Setup(Level.Trial)
    public void load(Client client) {
      RScript loaded = client.redisson().getScript(StringCodec.INSTANCE);
      sha = loaded.scriptLoad(SCRIPT);
      script = loaded;
    }

    /** One {@code EVALSHA} round trip, routed by {@code key} as a lock script's would be. */
    void evalSha(String key) {
      if (script == null) {
        throw new IllegalStateException("not loaded: JMH calls load() first");
      }
      Long reply =
          script.evalSha(key, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LONG, List.of(key));
      if (reply == null || reply != 1L) {
        throw new IllegalStateException("The no-op script answered " + reply);
      }
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

  /**
   * Holdfast in {@link Mode#ATOMIC}, fixed leases, a provider of the thread's own on its client.
   */
  @State(Scope.Thread)
  public static class OwnAtomic extends Holdfast {

    /** Creates the state; JMH calls it. */
    public OwnAtomic() {}

    /**
     * Builds the provider.
     *
     * @param client the thread's connection
     */
    @Setup(Level.Trial)
    public void setUp(OwnClient client) {
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
