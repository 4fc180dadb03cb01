package dev.holdfast.lock.redisson.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The client JVMs: a fixed number of slots, each with its own proxies and one running worker at a
 * time. A killed worker's slot gets a replacement with the next generation's id ({@code w2g1} after
 * {@code w2g0}); the dead worker's history stays part of the run.
 */
final class Workers implements AutoCloseable {

  /** How long a worker may take to start and connect on a loaded two-core machine. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final List<ClientProxies> proxies;
  private final BiFunction<String, ClientProxies, FaultWorker.Settings> settings;
  private final List<WorkerProcess> current = new ArrayList<>();
  private final List<Integer> generations = new ArrayList<>();
  private final List<WorkerProcess> all = new ArrayList<>();

  /**
   * Starts one worker per slot and waits until all are ready.
   *
   * @param settings the settings of a worker, from its id and its slot's proxies
   */
  Workers(
      List<ClientProxies> proxies, BiFunction<String, ClientProxies, FaultWorker.Settings> settings)
      throws InterruptedException {
    this.proxies = List.copyOf(proxies);
    this.settings = settings;
    try {
      for (int slot = 0; slot < proxies.size(); slot++) {
        generations.add(0);
        current.add(launch(slot));
      }
      for (WorkerProcess worker : current) {
        worker.awaitReady(START_TIMEOUT);
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  int size() {
    return current.size();
  }

  WorkerProcess get(int slot) {
    return current.get(slot);
  }

  ClientProxies proxies(int slot) {
    return proxies.get(slot);
  }

  /**
   * Replaces the slot's worker, which must be dead, with a new one, and waits until it is ready.
   */
  WorkerProcess replace(int slot) throws InterruptedException {
    generations.set(slot, generations.get(slot) + 1);
    WorkerProcess replacement = launch(slot);
    current.set(slot, replacement);
    replacement.awaitReady(START_TIMEOUT);
    return replacement;
  }

  /** Calls begun by every worker so far, dead ones included. */
  synchronized long calls() {
    return all.stream().mapToLong(WorkerProcess::calls).sum();
  }

  /** Calls served (their callback ran to the end) by every worker so far. */
  synchronized long served() {
    return all.stream().mapToLong(WorkerProcess::served).sum();
  }

  /** The stretches in which a worker JVM, dead ones included, did not run. */
  synchronized List<JvmStall> stalls() {
    return all.stream().flatMap(worker -> worker.stalls().stream()).toList();
  }

  synchronized List<Path> histories() {
    return all.stream().map(WorkerProcess::history).toList();
  }

  /** Stops the running workers, letting their calls under way finish. */
  void stop() throws InterruptedException {
    for (WorkerProcess worker : current) {
      worker.stop(Duration.ofSeconds(30));
    }
  }

  /** Ends every worker still running, for cleanup after a failure; a no-op after {@link #stop}. */
  @Override
  public void close() {
    current.forEach(WorkerProcess::destroy);
  }

  private synchronized WorkerProcess launch(int slot) {
    String id = "w" + (slot + 1) + "g" + generations.get(slot);
    WorkerProcess worker = WorkerProcess.start(settings.apply(id, proxies.get(slot)));
    all.add(worker);
    return worker;
  }
}
