package dev.holdfast.examples.oversell;

import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderPlacer;
import dev.holdfast.examples.inventory.OrderRejectedException;
import dev.holdfast.examples.inventory.OutOfStockException;
import dev.holdfast.lock.LockNotAcquiredException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a list of orders through some instances' placers at once: {@code threads} threads, thread
 * {@code t} on instance {@code t % instances}, each taking the next unplaced order, all released
 * together.
 */
final class BurstRunner {

  private static final String LOCK_TIMEOUT = "lock timeout";
  private static final String STALE_TOKEN = "stale fencing token";

  private BurstRunner() {}

  static Tally run(List<OrderPlacer> placers, int threads, List<Order> orders, Runnable onOrderDone)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    // One slot per order, written by the one thread that took the order; read after the joins.
    long[] latencies = new long[orders.size()];
    List<Worker> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Worker worker =
          new Worker(placers.get(t % placers.size()), orders, next, start, onOrderDone, latencies);
      workers.add(worker);
      worker.thread.start();
    }
    start.countDown();
    List<Tally> tallies = new ArrayList<>();
    for (Worker worker : workers) {
      worker.thread.join();
      tallies.add(worker.tally());
    }
    Tally counts = Tally.merge(tallies);
    return new Tally(counts.accepted(), counts.rejected(), counts.failures(), latencies);
  }

  /** One order thread and what it saw. */
  private static final class Worker implements Runnable {
    private final OrderPlacer placer;
    private final List<Order> orders;
    private final AtomicInteger next;
    private final CountDownLatch start;
    private final Runnable onOrderDone;
    private final Thread thread;
    private final Map<String, Long> failures = new TreeMap<>();
    private final long[] latencies;
    private long accepted;
    private long rejected;

    Worker(
        OrderPlacer placer,
        List<Order> orders,
        AtomicInteger next,
        CountDownLatch start,
        Runnable onOrderDone,
        long[] latencies) {
      this.placer = placer;
      this.orders = orders;
      this.next = next;
      this.start = start;
      this.onOrderDone = onOrderDone;
      this.latencies = latencies;
      this.thread = new Thread(this, "order-thread");
    }

    @Override
    public void run() {
      try {
        start.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int i = next.getAndIncrement(); i < orders.size(); i = next.getAndIncrement()) {
        long started = System.nanoTime();
        place(orders.get(i));
        latencies[i] = System.nanoTime() - started;
        onOrderDone.run();
      }
    }

    private void place(Order order) {
      try {
        placer.placeOrder(order);
        accepted++;
      } catch (OutOfStockException e) {
        rejected++;
      } catch (LockNotAcquiredException | ServiceInstance.MultiLockTimeoutException e) {
        failures.merge(LOCK_TIMEOUT, 1L, Long::sum);
      } catch (OrderRejectedException e) {
        // The only other refusal: a fenced write the row refused.
        failures.merge(STALE_TOKEN, 1L, Long::sum);
      } catch (RuntimeException e) {
        // Counted, not fatal: the table shows how a strategy fails, a database lock timeout too.
        failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
      }
    }

    /** Counts only: the latencies are the run's shared array. */
    Tally tally() {
      return new Tally(accepted, rejected, failures, new long[0]);
    }
  }
}
