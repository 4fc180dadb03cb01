package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.testing.RedisClusterSetup;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.spi.LockCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The atomic mode on a real Redis Cluster: a request's keys span the three masters, so it is taken
 * slot group by slot group, in slot order, each group on the master of its slot.
 */
final class RedisClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final RedisClusterSetup cluster = SharedCluster.setup();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<RedissonLockProvider> providers = new ArrayList<>();

  /** Two keys on each master, in slot order. */
  private final List<String> keys = keysOnEveryMaster("cluster:" + UUID.randomUUID() + ":", 2);

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    providers.forEach(RedissonLockProvider::close);
  }

  @Test
  void ordersKeysByHashSlotAndDoesNotClaimAtomicMultiKeyAcquisition() {
    RedissonLockProvider provider = provider(SharedCluster.client(), Duration.ofMillis(200));

    List<String> ordered = reversed(keys).stream().sorted(provider.keyOrder()).toList();

    assertThat(ordered).isEqualTo(keys);
    assertThat(provider.capabilities())
        .contains(LockCapability.FENCING_TOKENS)
        .doesNotContain(LockCapability.ATOMIC_MULTI_KEY);
  }

  @Test
  void takesEachSlotGroupOnItsMasterAndHoldsTheEarlierGroupsWhileWaitingForALaterOne()
      throws Exception {
    LockTemplate holder = template(SharedCluster.client(), Duration.ofMillis(200));
    LockTemplate waiter = template(SharedCluster.secondClient(), Duration.ofMillis(200));
    String last = keys.get(keys.size() - 1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holding = holdUntil(holder, List.of(last), release);
    Future<Map<String, Object>> waited =
        threads.submit(
            () -> waiter.executeWithLocks(reversed(keys), WAIT, LEASE, this::ownersOnTheirMasters));

    List<String> earlier = keys.subList(0, keys.size() - 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> earlier.stream().allMatch(key -> masterOf(key).call("GET", key) != null));
    Map<String, Object> ownersWhileWaiting = ownersOnTheirMasters(earlier);
    release.countDown();
    holding.get();
    Map<String, Object> ownersOnceHeld = waited.get();

    assertThat(ownersOnceHeld).containsOnlyKeys(keys);
    assertThat(Set.copyOf(ownersOnceHeld.values())).hasSize(1);
    assertThat(ownersOnceHeld).containsAllEntriesOf(ownersWhileWaiting);
  }

  @Test
  void mastersThatLostTheirScriptsGetThemAgainWithoutAFailure() {
    LockTemplate template = template(SharedCluster.client(), Duration.ofMillis(200));
    List<Long> before =
        template.executeWithLocks(
            keys, WAIT, LEASE, held -> keys.stream().map(k -> fencingToken(held, k)).toList());

    cluster.masters().forEach(master -> master.call("SCRIPT", "FLUSH"));
    List<Long> after =
        template.executeWithLocks(
            keys, WAIT, LEASE, held -> keys.stream().map(k -> fencingToken(held, k)).toList());

    for (int i = 0; i < keys.size(); i++) {
      assertThat(after.get(i)).as(keys.get(i)).isGreaterThan(before.get(i));
    }
  }

  @Test
  void aSlotGroupItsReplicaCannotAcknowledgeFailsAsNotDurableAndGivesBackEveryGroupTakenBeforeIt() {
    RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedCluster.client())
            .replicaAcknowledgement(1, Duration.ofMillis(500))
            .build();
    providers.add(provider);
    List<RedisServer> masters = cluster.masters();
    List<Long> waitsBefore = masters.stream().map(RedisClusterTest::waitCalls).toList();
    String last = keys.get(keys.size() - 1);
    RedisServer lastMaster = masterOf(last);
    // The last master's other key would be its own slot group, taken before the last.
    List<String> request =
        keys.stream().filter(key -> key.equals(last) || !masterOf(key).equals(lastMaster)).toList();
    RedisServer lastReplica = replicaOf(lastMaster);
    lastReplica.pause();

    Throwable thrown;
    try {
      thrown =
          catchThrowable(
              () -> LockTemplate.of(provider).runWithLocks(request, WAIT, LEASE, held -> {}));
    } finally {
      lastReplica.resume();
    }

    assertThat(thrown).hasCauseInstanceOf(RedissonLockProvider.NotDurableException.class);
    // The groups are taken in slot order until one is not acknowledged: normally the last one,
    // whose replica is paused; on a crowded machine another replica can miss the bound first.
    // Either way the keys taken are a prefix of the request, and every one was given back.
    List<Object> counters =
        request.stream()
            .map(key -> masterOf(key).call("GET", RedissonLockProvider.fencingCounterKey(key)))
            .toList();
    int taken = counters.indexOf(null) < 0 ? counters.size() : counters.indexOf(null);
    assertThat(counters.subList(0, taken))
        .as("taken, in slot order, each with a token")
        .allSatisfy(counter -> assertThat((String) counter).containsOnlyDigits());
    assertThat(counters.subList(taken, counters.size()))
        .as("never tried")
        .allSatisfy(counter -> assertThat(counter).isNull());
    for (String key : request) {
      assertThat(masterOf(key).call("GET", key)).as("given back: " + key).isNull();
    }
    // Each slot group taken waited for its own master's replica, on that master.
    for (String key : request.subList(0, taken)) {
      RedisServer master = masterOf(key);
      assertThat(waitCalls(master))
          .as("WAIT calls on " + master)
          .isGreaterThan(waitsBefore.get(masters.indexOf(master)));
    }
  }

  @Test
  void theEvictionPolicyCheckAsksEveryMaster() {
    RedisServer lastMaster = cluster.masters().get(cluster.masters().size() - 1);
    Object policy = ((List<?>) lastMaster.call("CONFIG", "GET", "maxmemory-policy")).get(1);
    lastMaster.call("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
    try {
      RedissonLockProvider.Builder builder =
          RedissonLockProvider.builder(SharedCluster.client())
              .evictionPolicyCheck(RedissonLockProvider.StartupCheck.REFUSE);

      assertThatThrownBy(builder::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(":" + lastMaster.port() + " has maxmemory-policy volatile-lru");
    } finally {
      lastMaster.call("CONFIG", "SET", "maxmemory-policy", policy.toString());
    }
  }

  @Test
  void threadsOfTwoClientsTakingMultiSlotSetsInOppositeOrdersFinishAndExcludeEachOther()
      throws Exception {
    List<LockTemplate> clients =
        List.of(
            template(SharedCluster.client(), RedissonLockProvider.DEFAULT_POLL_INTERVAL),
            template(SharedCluster.secondClient(), RedissonLockProvider.DEFAULT_POLL_INTERVAL));
    // Sets that span all three masters and overlap pairwise (all of them hold keys.get(0)), so no
    // two callbacks may ever run at once.
    List<List<String>> sets =
        List.of(
            keys,
            List.of(keys.get(0), keys.get(2), keys.get(4)),
            List.of(keys.get(1), keys.get(3), keys.get(5), keys.get(0)));
    int threadCount = 6;
    int callsPerThread = 40;
    Map<String, int[]> counters = new HashMap<>();
    keys.forEach(key -> counters.put(key, new int[1]));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInsideAtOnce = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      LockTemplate client = clients.get(t % 2);
      boolean reversed = t % 4 >= 2;
      int thread = t;
      running.add(
          threads.submit(
              () -> {
                start.await();
                for (int call = 0; call < callsPerThread; call++) {
                  List<String> set = sets.get((thread + call) % sets.size());
                  client.runWithLocks(
                      reversed ? reversed(set) : set,
                      WAIT,
                      LEASE,
                      held -> {
                        mostInsideAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        for (String key : held.keys()) {
                          int[] counter = counters.get(key);
                          int read = counter[0];
                          Thread.yield();
                          counter[0] = read + 1;
                        }
                        inside.decrementAndGet();
                      });
                }
                return null;
              }));
    }

    start.countDown();
    // A deadlock would end calls with LockNotAcquiredException after their wait, failing get().
    for (Future<?> thread : running) {
      thread.get(60, TimeUnit.SECONDS);
    }

    Map<String, Integer> expected = new HashMap<>();
    for (int t = 0; t < threadCount; t++) {
      for (int call = 0; call < callsPerThread; call++) {
        sets.get((t + call) % sets.size()).forEach(key -> expected.merge(key, 1, Integer::sum));
      }
    }
    Map<String, Integer> counted = new HashMap<>();
    counters.forEach((key, counter) -> counted.put(key, counter[0]));
    assertThat(counted).isEqualTo(expected);
    assertThat(mostInsideAtOnce).hasValue(1);
  }

  private Map<String, Object> ownersOnTheirMasters(HeldLocks held) {
    return ownersOnTheirMasters(held.keys());
  }

  private Map<String, Object> ownersOnTheirMasters(List<String> keysToRead) {
    Map<String, Object> owners = new HashMap<>();
    for (String key : keysToRead) {
      owners.put(key, masterOf(key).call("GET", key));
    }
    return owners;
  }

  private RedisServer masterOf(String key) {
    return cluster.masterOf(key);
  }

  /** The replica that replicates {@code master}, as its INFO says. */
  private RedisServer replicaOf(RedisServer master) {
    String replicatesIt = "master_port:" + master.port() + "\r\n";
    return cluster.replicas().stream()
        .filter(
            replica -> String.valueOf(replica.call("INFO", "replication")).contains(replicatesIt))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("No replica of " + master));
  }

  private static long waitCalls(RedisServer master) {
    return RedisCommandStats.calls(master, "wait");
  }

  private static List<String> reversed(List<String> list) {
    List<String> reversed = new ArrayList<>(list);
    Collections.reverse(reversed);
    return reversed;
  }

  private static long fencingToken(HeldLocks held, String key) {
    return held.fencingToken(key).orElseThrow();
  }

  /**
   * {@code perMaster} keys with the given prefix on each master, sorted by slot then key: the order
   * the provider takes them in.
   */
  private List<String> keysOnEveryMaster(String prefix, int perMaster) {
    Map<RedisServer, List<String>> byMaster = new HashMap<>();
    for (int i = 0;
        byMaster.size() < 3 || byMaster.values().stream().anyMatch(k -> k.size() < perMaster);
        i++) {
      String key = prefix + i;
      List<String> onMaster = byMaster.computeIfAbsent(masterOf(key), m -> new ArrayList<>());
      if (onMaster.size() < perMaster) {
        onMaster.add(key);
      }
    }
    Set<String> all = new LinkedHashSet<>();
    byMaster.values().forEach(all::addAll);
    return all.stream()
        .sorted(Comparator.comparingInt(HashSlots::slot).thenComparing(k -> k))
        .toList();
  }

  /** Takes the keys on another thread, holds them until {@code release} opens, and returns then. */
  private Future<?> holdUntil(LockTemplate holder, List<String> held, CountDownLatch release)
      throws Exception {
    CountDownLatch taken = new CountDownLatch(1);
    Future<?> holding =
        threads.submit(
            () -> {
              holder.runWithLocks(
                  held,
                  WAIT,
                  LEASE,
                  h -> {
                    taken.countDown();
                    release.await();
                  });
              return null;
            });
    taken.await();
    return holding;
  }

  private LockTemplate template(RedissonClient client, Duration poll) {
    return LockTemplate.of(provider(client, poll));
  }

  private RedissonLockProvider provider(RedissonClient client, Duration poll) {
    RedissonLockProvider provider = RedissonLockProvider.builder(client).pollInterval(poll).build();
    providers.add(provider);
    return provider;
  }
}
