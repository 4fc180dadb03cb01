package dev.holdfast.lock.redisson.faults;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Injects one fault at a time into the Redis deployment, the client JVMs or the links between them,
 * and returns once it has undone it. Targets and durations come from the seeded {@link
 * FaultSchedule}. Faults on clients and their links are the same on every topology and done here;
 * faults on Redis nodes are the {@link FaultTopology}'s, which first waits until the deployment is
 * whole again (a failover's old master rejoined as a replica), so every master fault can fail over.
 */
final class Nemesis {

  private final FaultTopology topology;
  private final Workers workers;
  private final FaultSchedule schedule;
  private final Duration lease;
  private final Duration freeze;

  /**
   * @param lease the workers' lease: a paused client sleeps 1.5 times this
   * @param freeze how long a frozen link stays frozen
   */
  Nemesis(
      FaultTopology topology,
      Workers workers,
      FaultSchedule schedule,
      Duration lease,
      Duration freeze) {
    this.topology = topology;
    this.workers = workers;
    this.schedule = schedule;
    this.lease = lease;
    this.freeze = freeze;
  }

  FaultRecord inject(FaultKind kind) throws InterruptedException {
    return switch (kind) {
      case CLIENT_PAUSE -> pauseClient();
      case CLIENT_KILL -> killClient();
      case TCP_FREEZE -> freezeLinks();
      case TCP_RESET -> resetLinks();
      case LEASE_EXPIRE -> expireHeldKey();
      case ACQUIRE_INTERRUPT -> interruptWaiters();
      default -> topology.inject(kind, schedule);
    };
  }

  private FaultRecord pauseClient() throws InterruptedException {
    WorkerProcess worker = workers.get(schedule.choose(workers.size()));
    long start = System.nanoTime();
    worker.pause();
    try {
      Thread.sleep(lease.toMillis() * 3 / 2);
    } finally {
      worker.resume();
    }
    return new FaultRecord(FaultKind.CLIENT_PAUSE, worker.id(), start, System.nanoTime());
  }

  private FaultRecord killClient() throws InterruptedException {
    int slot = schedule.choose(workers.size());
    WorkerProcess worker = workers.get(slot);
    long start = System.nanoTime();
    worker.kill();
    workers.replace(slot);
    return new FaultRecord(FaultKind.CLIENT_KILL, worker.id(), start, System.nanoTime());
  }

  /** Freezes one client's links to one master. */
  private FaultRecord freezeLinks() throws InterruptedException {
    int slot = schedule.choose(workers.size());
    List<RedisServer> masters = topology.masters();
    int masterPort = masters.get(schedule.choose(masters.size())).port();
    ClientProxies proxies = workers.proxies(slot);
    long start = System.nanoTime();
    proxies.freeze(masterPort);
    try {
      Thread.sleep(freeze.toMillis());
    } finally {
      proxies.unfreeze(masterPort);
    }
    return new FaultRecord(
        FaultKind.TCP_FREEZE,
        workers.get(slot).id() + " to redis:" + masterPort,
        start,
        System.nanoTime());
  }

  private FaultRecord resetLinks() {
    int slot = schedule.choose(workers.size());
    long start = System.nanoTime();
    workers.proxies(slot).reset();
    return new FaultRecord(FaultKind.TCP_RESET, workers.get(slot).id(), start, start);
  }

  /** PEXPIRE of a lock key held right now, found by SCAN on a master; tries until one is held. */
  private FaultRecord expireHeldKey() throws InterruptedException {
    for (int attempt = 0; attempt < 200; attempt++) {
      List<RedisServer> masters = topology.masters();
      RedisServer master = masters.get(schedule.choose(masters.size()));
      List<String> held = heldKeys(master);
      if (!held.isEmpty()) {
        String key = held.get(schedule.choose(held.size()));
        long start = System.nanoTime();
        Object expired = master.call("PEXPIRE", key, "1");
        if (Long.valueOf(1).equals(expired)) {
          return new FaultRecord(FaultKind.LEASE_EXPIRE, key, start, start);
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("No lock key was held in 200 attempts to expire one");
  }

  /** Interrupts the threads of one client that wait for keys; tries until some do. */
  private FaultRecord interruptWaiters() throws InterruptedException {
    for (int attempt = 0; attempt < 200; attempt++) {
      WorkerProcess worker = workers.get(schedule.choose(workers.size()));
      long start = System.nanoTime();
      long interrupted = worker.interruptWaiting();
      if (interrupted > 0) {
        return new FaultRecord(
            FaultKind.ACQUIRE_INTERRUPT, worker.id() + " x" + interrupted, start, start);
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("No thread was waiting for keys in 200 attempts to interrupt");
  }

  /**
   * The lock keys on {@code node}: {@code lock:product:*}, not the fencing counters (whose names
   * end with {@link LockTemplate#RESERVED_KEY_SUFFIX}; a hash-tagged key's counter starts with it).
   */
  static List<String> heldKeys(RedisServer node) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> reply =
          (List<?>)
              Objects.requireNonNull(
                  node.call("SCAN", cursor, "MATCH", "lock:product:*", "COUNT", "1000"));
      cursor = (String) reply.get(0);
      ((List<?>) reply.get(1))
          .stream()
              .map(String.class::cast)
              .filter(key -> !key.endsWith(LockTemplate.RESERVED_KEY_SUFFIX))
              .forEach(keys::add);
    } while (!cursor.equals("0"));
    return keys;
  }
}
