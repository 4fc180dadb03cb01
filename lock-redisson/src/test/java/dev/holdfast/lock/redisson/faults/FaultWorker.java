package dev.holdfast.lock.redisson.faults;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockInterruptedException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.redisson.faults.CallEvent.Op;
import dev.holdfast.lock.redisson.faults.OrderRefusedException.Reason;
import dev.holdfast.lock.redisson.testing.RedisSentinelSetup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.NatMapper;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;
import org.redisson.misc.RedisURI;

/**
 * One client JVM of the fault suite: threads placing orders through {@code executeWithLocks} over a
 * Redisson client of a Sentinel deployment or a cluster, whose connections to the Redis nodes run
 * through the parent's TCP proxies, against the {@link FencedStore}. Every call's events go to a
 * history file, one line each, flushed at once so that a kill -9 loses at most the line being
 * written.
 *
 * <p>Talks to the parent on stdin and stdout. Prints {@code ready} once connected and then {@code
 * progress <calls> <served>} every 100 ms. Reads {@code interrupt} (interrupt the threads now
 * waiting for keys; answers {@code interrupted <n>}) and {@code stop} (finish the calls under way,
 * shut down, answer {@code stopped}); end of input means the parent is gone, and the worker exits.
 */
final class FaultWorker {

  /** How a {@link LockInterruptedException} that left the interrupt flag set is reported. */
  static final String FLAG_RESTORED = "flag-restored";

  /** How a {@link LockBackendException} caused by Redis's out-of-memory answer is reported. */
  static final String OUT_OF_MEMORY = "oom";

  /** How a {@link LockBackendException} for too few replica acknowledgements is reported. */
  static final String NOT_DURABLE = "not-durable";

  /** How the worker's Redisson client finds Redis: through sentinels, or cluster nodes. */
  enum Topology {
    SENTINEL,
    CLUSTER
  }

  private static final String FLAG_CLEARED = "flag-cleared";

  private static final Duration STALL_WATCH_TICK = Duration.ofMillis(10);

  /** How late the stall watch must wake up to report a stall: more than a GC pause here takes. */
  private static final Duration STALL_THRESHOLD = Duration.ofMillis(200);

  private final Settings settings;
  private final PrintWriter history;
  private final LockTemplate locks;
  private final FencedStore store;
  private final List<Slot> slots = new ArrayList<>();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong served = new AtomicLong();
  private volatile boolean running = true;

  /** One thread's state, so an interrupt reaches a thread only while it waits for keys. */
  private static final class Slot {
    private final Thread thread;
    private boolean acquiring;

    Slot(Thread thread) {
      this.thread = thread;
    }

    synchronized void beginAcquire() {
      acquiring = true;
    }

    /** Ends the acquiring phase; clears and returns an interrupt that came too late to count. */
    synchronized boolean endAcquire() {
      acquiring = false;
      return Thread.interrupted();
    }

    synchronized boolean interruptIfAcquiring() {
      if (acquiring) {
        thread.interrupt();
      }
      return acquiring;
    }
  }

  private FaultWorker(
      Settings settings, PrintWriter history, LockTemplate locks, FencedStore store) {
    this.settings = settings;
    this.history = history;
    this.locks = locks;
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    RedissonClient storeClient = Redisson.create(storeConfig(settings.store));
    RedissonClient redis = Redisson.create(redisConfig(settings));
    try (PrintWriter history =
            new PrintWriter(Files.newBufferedWriter(settings.history, StandardCharsets.UTF_8));
        RedissonLockProvider provider = provider(redis, settings)) {
      FaultWorker worker =
          new FaultWorker(
              settings, history, LockTemplate.of(provider), new FencedStore(storeClient));
      worker.run();
    } finally {
      redis.shutdown(0, 2, TimeUnit.SECONDS);
      storeClient.shutdown(0, 2, TimeUnit.SECONDS);
    }
    System.out.println("stopped");
  }

  private void run() throws IOException, InterruptedException {
    for (int i = 0; i < settings.threads; i++) {
      int index = i;
      Thread thread = new Thread(() -> placeOrders(index), settings.id + "-t" + i);
      slots.add(new Slot(thread));
    }
    slots.forEach(slot -> slot.thread.start());
    Thread progress = new Thread(this::reportProgress, "progress");
    progress.setDaemon(true);
    progress.start();
    Thread stallWatch = new Thread(FaultWorker::watchForStalls, "stall-watch");
    stallWatch.setDaemon(true);
    stallWatch.setPriority(Thread.MAX_PRIORITY);
    stallWatch.start();
    System.out.println("ready");
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); ; command = commands.readLine()) {
      if (command == null) {
        // The parent is gone: nobody will read the history or stop us.
        Runtime.getRuntime().halt(3);
      } else if (command.equals("interrupt")) {
        long interrupted = slots.stream().filter(Slot::interruptIfAcquiring).count();
        System.out.println("interrupted " + interrupted);
      } else if (command.equals("stop")) {
        break;
      }
    }
    running = false;
    for (Slot slot : slots) {
      slot.thread.join();
    }
  }

  private void reportProgress() {
    while (running) {
      System.out.println("progress " + calls.get() + " " + served.get());
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Sleeps {@link #STALL_WATCH_TICK} again and again, and prints {@code stalled <from> <to>} when
   * it woke up more than {@link #STALL_THRESHOLD} late: this JVM did not run meanwhile.
   */
  private static void watchForStalls() {
    while (true) {
      long before = System.nanoTime();
      try {
        Thread.sleep(STALL_WATCH_TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      long after = System.nanoTime();
      if (after - before - STALL_WATCH_TICK.toNanos() > STALL_THRESHOLD.toNanos()) {
        System.out.println("stalled " + before + " " + after);
      }
    }
  }

  private void placeOrders(int index) {
    Slot slot = slots.get(index);
    Random random = new Random(settings.seed * 1_000_003L + settings.id.hashCode() * 31L + index);
    for (long n = 0; running; n++) {
      String callId = settings.id + "-t" + index + "-" + n;
      List<OrderItem> items = order(random);
      List<String> keys = items.stream().map(item -> lockKey(item.product())).toList();
      calls.incrementAndGet();
      long invoked = System.nanoTime();
      log(callId, Op.INVOKE, "-", items, Map.of());
      slot.beginAcquire();
      try {
        locks.executeWithLocks(
            keys,
            settings.waitTime,
            settings.lease,
            held -> {
              boolean lateInterrupt = slot.endAcquire();
              deduct(callId, items, held, lateInterrupt);
              return null;
            });
        served.incrementAndGet();
        log(callId, Op.OK, "-", items, Map.of());
      } catch (Exception e) {
        boolean flagSet = slot.endAcquire();
        log(callId, Op.FAIL, describe(e, flagSet), items, Map.of());
        if (System.nanoTime() - invoked > 2 * settings.waitTime.toNanos()) {
          // Slower than the checker allows, unless this JVM was stopped: the trace says where.
          System.err.println(
              callId + " failed after " + (System.nanoTime() - invoked) / 1_000_000 + " ms");
          e.printStackTrace();
        }
        if (e instanceof OrderRefusedException refused && refused.reason() == Reason.OUT_OF_STOCK) {
          served.incrementAndGet();
        }
      }
      pause(random.nextInt(settings.thinkMillis + 1));
    }
  }

  /** The callback: a deliberately non-atomic read, sleep, write of the stock, fenced. */
  private void deduct(String callId, List<OrderItem> items, HeldLocks held, boolean lateInterrupt)
      throws OrderRefusedException, InterruptedException {
    Map<Integer, Long> tokens = new LinkedHashMap<>();
    for (OrderItem item : items) {
      tokens.put(item.product(), held.fencingToken(lockKey(item.product())).orElseThrow());
    }
    log(callId, Op.ACQUIRED, lateInterrupt ? "late-interrupt" : "-", items, tokens);
    Map<Integer, Long> stock = store.read(callId, items, tokens);
    Map<Integer, Long> newStock = new HashMap<>();
    for (OrderItem item : items) {
      long left = stock.get(item.product()) - item.quantity();
      if (left < 0) {
        throw new OrderRefusedException(Reason.OUT_OF_STOCK, "product " + item.product());
      }
      newStock.put(item.product(), left);
    }
    Thread.sleep(settings.sleepMillis);
    store.write(callId, items, tokens, newStock);
  }

  private static String describe(Exception e, boolean flagSet) {
    if (e instanceof OrderRefusedException refused) {
      return refused.reason().label();
    }
    if (e instanceof LockInterruptedException) {
      return e.getClass().getSimpleName() + ":" + (flagSet ? FLAG_RESTORED : FLAG_CLEARED);
    }
    if (e instanceof LockBackendException) {
      return e.getClass().getSimpleName() + ":" + backendCause(e);
    }
    if (!HistoryChecker.EXPECTED_FAILURES.contains(e.getClass().getSimpleName())) {
      // The checker reports the type; the trace is for whoever investigates it.
      e.printStackTrace();
    }
    return e.getClass().getSimpleName();
  }

  /**
   * What a backend failure came from: {@link #NOT_DURABLE}, {@link #OUT_OF_MEMORY}, or the simple
   * name of its innermost cause ({@code TimeoutException}: no answer in time).
   */
  private static String backendCause(Exception e) {
    Throwable innermost = e;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedissonLockProvider.NotDurableException) {
        return NOT_DURABLE;
      }
      if (cause instanceof RedisOutOfMemoryException
          || String.valueOf(cause.getMessage()).startsWith("OOM ")) {
        return OUT_OF_MEMORY;
      }
      innermost = cause;
    }
    return innermost.getClass().getSimpleName();
  }

  /**
   * One call in eight restocks one product with 10 to 30 units; the others order one to three
   * distinct products of 1 to 3 units each. A product is one of the hot ones half the time. Hot
   * products sell faster than they are restocked, so they sell out and come back all run long. With
   * shelves, one order in three takes its products from one shelf: keys of one hash slot.
   */
  private List<OrderItem> order(Random random) {
    if (random.nextInt(8) == 0) {
      return List.of(new OrderItem(product(random), -(10 + random.nextInt(21))));
    }
    int lines = 1 + random.nextInt(3);
    IntSupplier products;
    if (settings.shelves > 0 && random.nextInt(3) == 0) {
      int shelf = random.nextInt(settings.shelves);
      List<Integer> onShelf =
          IntStream.range(firstShelved(), settings.products)
              .filter(product -> product % settings.shelves == shelf)
              .boxed()
              .toList();
      products = () -> onShelf.get(random.nextInt(onShelf.size()));
    } else {
      products = () -> product(random);
    }
    Map<Integer, OrderItem> items = new LinkedHashMap<>();
    while (items.size() < lines) {
      int product = products.getAsInt();
      items.putIfAbsent(product, new OrderItem(product, 1 + random.nextInt(3)));
    }
    return List.copyOf(items.values());
  }

  /**
   * The lock key that guards a product's stock: {@code lock:product:7}, or, for the second half of
   * the products when there are shelves, with the shelf as hash tag: {@code
   * lock:product:{shelf1}:13}, so that a cluster keeps a shelf's keys in one slot.
   */
  private String lockKey(int product) {
    return settings.shelves > 0 && product >= firstShelved()
        ? "lock:product:{shelf" + product % settings.shelves + "}:" + product
        : "lock:product:" + product;
  }

  private int firstShelved() {
    return settings.products / 2;
  }

  private int product(Random random) {
    return random.nextBoolean()
        ? random.nextInt(settings.hotProducts)
        : settings.hotProducts + random.nextInt(settings.products - settings.hotProducts);
  }

  private void log(
      String callId, Op op, String detail, List<OrderItem> items, Map<Integer, Long> tokens) {
    String line =
        new CallEvent(System.nanoTime(), settings.id, callId, op, detail, items, tokens).toLine();
    synchronized (history) {
      history.println(line);
      history.flush();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // Only the interrupt command interrupts, and only threads waiting for keys: not this one.
      Thread.currentThread().interrupt();
    }
  }

  /** The default provider, or with replica acknowledgement: the suite's second configuration. */
  private static RedissonLockProvider provider(RedissonClient redis, Settings settings) {
    RedissonLockProvider.Builder builder = RedissonLockProvider.builder(redis);
    if (settings.replicaAcks > 0) {
      builder.replicaAcknowledgement(settings.replicaAcks, settings.replicaAckTimeout);
    }
    return builder.build();
  }

  private static Config storeConfig(String address) {
    Config config = new Config();
    config.setUseScriptCache(true);
    config
        .useSingleServer()
        .setAddress(address)
        .setConnectionPoolSize(8)
        .setConnectionMinimumIdleSize(2)
        // The store is never faulted, but this JVM may be SIGSTOPped: a short timeout would fail
        // a store call that was answered while the JVM slept, and a retry could resend a write.
        .setTimeout(60_000)
        .setRetryAttempts(0);
    return config;
  }

  private static Config redisConfig(Settings settings) {
    Config config = new Config();
    // Sentinels and cluster nodes report the nodes' real ports; this client must reach them
    // through its proxies.
    NatMapper throughProxies =
        uri -> {
          Integer proxy = settings.proxyPorts.get(uri.getPort());
          return proxy == null ? uri : new RedisURI(uri.getScheme(), uri.getHost(), proxy);
        };
    BaseMasterSlaveServersConfig<?> servers;
    if (settings.topology == Topology.CLUSTER) {
      ClusterServersConfig cluster = config.useClusterServers();
      settings.seedPorts.forEach(
          port -> cluster.addNodeAddress("redis://127.0.0.1:" + settings.proxyPorts.get(port)));
      cluster.setNatMapper(throughProxies).setScanInterval(250);
      servers = cluster;
    } else {
      SentinelServersConfig sentinel = config.useSentinelServers();
      settings.seedPorts.forEach(port -> sentinel.addSentinelAddress("redis://127.0.0.1:" + port));
      sentinel
          .setMasterName(RedisSentinelSetup.MASTER_NAME)
          .setNatMapper(throughProxies)
          .setCheckSentinelsList(false)
          .setScanInterval(250);
      servers = sentinel;
    }
    servers
        .setReadMode(ReadMode.MASTER)
        .setSubscriptionMode(SubscriptionMode.MASTER)
        .setMasterConnectionPoolSize(8)
        .setMasterConnectionMinimumIdleSize(2)
        .setSlaveConnectionPoolSize(1)
        .setSlaveConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(4)
        .setSubscriptionConnectionMinimumIdleSize(1)
        .setTimeout(1000);
    return config;
  }

  /** The worker's command line: {@code name=value} arguments, each required. */
  record Settings(
      String id,
      int threads,
      Topology topology,
      List<Integer> seedPorts,
      Map<Integer, Integer> proxyPorts,
      String store,
      Path history,
      long seed,
      int products,
      int hotProducts,
      int shelves,
      Duration lease,
      Duration waitTime,
      int sleepMillis,
      int thinkMillis,
      int replicaAcks,
      Duration replicaAckTimeout) {

    List<String> toArgs() {
      return List.of(
          "id=" + id,
          "threads=" + threads,
          "topology=" + topology,
          "seeds=" + seedPorts.stream().map(String::valueOf).collect(Collectors.joining(",")),
          "proxies="
              + proxyPorts.entrySet().stream()
                  .map(e -> e.getKey() + ":" + e.getValue())
                  .collect(Collectors.joining(",")),
          "store=" + store,
          "history=" + history,
          "seed=" + seed,
          "products=" + products,
          "hot=" + hotProducts,
          "shelves=" + shelves,
          "leaseMillis=" + lease.toMillis(),
          "waitMillis=" + waitTime.toMillis(),
          "sleepMillis=" + sleepMillis,
          "thinkMillis=" + thinkMillis,
          "replicaAcks=" + replicaAcks,
          "replicaAckTimeoutMillis=" + replicaAckTimeout.toMillis());
    }

    static Settings parse(String[] args) {
      Map<String, String> values = new HashMap<>();
      for (String arg : args) {
        int equals = arg.indexOf('=');
        if (equals < 1) {
          throw new IllegalArgumentException("worker arguments are name=value, was " + arg);
        }
        values.put(arg.substring(0, equals), arg.substring(equals + 1));
      }
      Map<Integer, Integer> proxies = new HashMap<>();
      Arrays.stream(required(values, "proxies").split(","))
          .map(pair -> pair.split(":", -1))
          .forEach(pair -> proxies.put(Integer.parseInt(pair[0]), Integer.parseInt(pair[1])));
      return new Settings(
          required(values, "id"),
          Integer.parseInt(required(values, "threads")),
          Topology.valueOf(required(values, "topology")),
          Arrays.stream(required(values, "seeds").split(",")).map(Integer::valueOf).toList(),
          proxies,
          required(values, "store"),
          Path.of(required(values, "history")),
          Long.parseLong(required(values, "seed")),
          Integer.parseInt(required(values, "products")),
          Integer.parseInt(required(values, "hot")),
          Integer.parseInt(required(values, "shelves")),
          Duration.ofMillis(Long.parseLong(required(values, "leaseMillis"))),
          Duration.ofMillis(Long.parseLong(required(values, "waitMillis"))),
          Integer.parseInt(required(values, "sleepMillis")),
          Integer.parseInt(required(values, "thinkMillis")),
          Integer.parseInt(required(values, "replicaAcks")),
          Duration.ofMillis(Long.parseLong(required(values, "replicaAckTimeoutMillis"))));
    }

    private static String required(Map<String, String> values, String name) {
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("worker argument " + name + " is missing");
      }
      return value;
    }
  }
}
