package dev.holdfast.examples.inventory;

import static java.util.Objects.requireNonNull;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places orders under a lock per product: {@code <key prefix><id>} ({@code lock:product:<id>} by
 * default) for every product of the order, taken all-or-nothing through {@link
 * LockTemplate#executeWithLocks}, then the {@link Inventory} transaction, and the locks released
 * only after it committed.
 *
 * <pre>{@code
 * Inventory inventory = Inventory.builder(dataSource).build(); // over three tables
 * OrderService orders =
 *     new OrderService(
 *         LockTemplate.of(provider), // RedissonLockProvider, shared by every service instance
 *         inventory,
 *         Fencing.supportedBy(provider),
 *         Duration.ofSeconds(5), // wait for all of the order's product locks
 *         Duration.ofSeconds(10)); // lease
 * orders.placeOrder(new Order("o-1", List.of(new OrderLine(7, 2), new OrderLine(3, 1))));
 * }</pre>
 *
 * <p>The example runs as {@code ReadmeExampleTest}. An order it cannot fill throws {@link
 * OutOfStockException} and writes nothing. Right before the commit the transaction checks that
 * every lock is still held ({@link HeldLocks#checkHeld()}), so an order whose lease ended rolls
 * back. An order is placed at most once: the order id is the order table's primary key, so retrying
 * an order after an unclear outcome with the same id is safe. Thread-safe if the template is.
 */
public final class OrderService implements OrderPlacer {

  /** Whether stock writes carry the lock's fencing tokens. */
  public enum Fencing {

    /** Every stock write carries the product lock's fencing token; stale ones are refused. */
    TOKENS,

    /** Plain stock writes: only the lock keeps two orders apart. */
    NONE;

    /**
     * Fences with the provider's tokens only if it issues them and they order every holder of a key
     * (it excludes across clients): the in-memory provider counts each key's tokens inside its own
     * JVM, so two service instances would compare tokens that order nothing between them.
     *
     * @param provider the provider behind the order service's template
     * @return {@link #TOKENS} for a provider with fencing tokens and cross-client exclusion, else
     *     {@link #NONE}
     */
    public static Fencing supportedBy(LockProvider provider) {
      Set<LockCapability> capabilities = provider.capabilities();
      return capabilities.contains(LockCapability.FENCING_TOKENS)
              && capabilities.contains(LockCapability.CROSS_CLIENT_EXCLUSION)
          ? TOKENS
          : NONE;
    }
  }

  /** The lock key prefix when none is given: keys {@code lock:product:<id>}. */
  public static final String DEFAULT_KEY_PREFIX = "lock:product:";

  private final LockTemplate locks;
  private final Inventory inventory;
  private final Fencing fencing;
  private final Duration waitTime;
  private final Duration leaseTime;
  private final String keyPrefix;

  /**
   * Creates the service with lock keys {@code lock:product:<id>}.
   *
   * @param locks the template whose provider every instance of the service shares
   * @param inventory the stock
   * @param fencing whether stock writes carry fencing tokens; {@link Fencing#TOKENS} needs a
   *     provider that issues them
   * @param waitTime how long an order waits for all its product locks together
   * @param leaseTime how long a product lock stays held if its holder dies; longer than an order's
   *     transaction takes
   * @throws NullPointerException if an argument is null
   */
  public OrderService(
      LockTemplate locks,
      Inventory inventory,
      Fencing fencing,
      Duration waitTime,
      Duration leaseTime) {
    this(locks, inventory, fencing, waitTime, leaseTime, DEFAULT_KEY_PREFIX);
  }

  /**
   * Creates the service with lock keys {@code <keyPrefix><id>}: every instance of one service must
   * use the same prefix, and services sharing one Redis keep apart by using different ones.
   *
   * @param locks the template whose provider every instance of the service shares
   * @param inventory the stock
   * @param fencing whether stock writes carry fencing tokens; {@link Fencing#TOKENS} needs a
   *     provider that issues them
   * @param waitTime how long an order waits for all its product locks together
   * @param leaseTime how long a product lock stays held if its holder dies; longer than an order's
   *     transaction takes
   * @param keyPrefix the lock keys' prefix, for example {@code "shop-eu:lock:product:"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code keyPrefix} is blank, naming it
   */
  public OrderService(
      LockTemplate locks,
      Inventory inventory,
      Fencing fencing,
      Duration waitTime,
      Duration leaseTime,
      String keyPrefix) {
    if (requireNonNull(keyPrefix, "keyPrefix").isBlank()) {
      throw new IllegalArgumentException("keyPrefix must not be blank, was \"" + keyPrefix + "\"");
    }
    this.keyPrefix = keyPrefix;
    this.locks = requireNonNull(locks, "locks");
    this.inventory = requireNonNull(inventory, "inventory");
    this.fencing = requireNonNull(fencing, "fencing");
    this.waitTime = requireNonNull(waitTime, "waitTime");
    this.leaseTime = requireNonNull(leaseTime, "leaseTime");
  }

  /**
   * The lock key of a product.
   *
   * @param productId the product
   * @return {@code <key prefix><id>}
   */
  public String lockKey(long productId) {
    return keyPrefix + productId;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Waits up to the wait time for the locks of every product of the order, then runs the
   * inventory transaction while holding them, and checks right before its commit that they are
   * still held.
   *
   * @throws StaleFencingTokenException if this holder was overtaken: its lease ended and a holder
   *     with a newer token claimed a product's row first; nothing was written
   * @throws LockNotAcquiredException if the locks were not free within the wait
   * @throws LockLostException if a lease ended before the commit, which then rolled the order back;
   *     or, rarely, if it ended between that check and the end of the callback: then the order may
   *     have committed. Either way {@link Inventory#orderExists(String)} tells, and retrying the
   *     order with the same id is safe (the id is the order table's primary key)
   */
  @Override
  public OrderConfirmation placeOrder(Order order) throws OrderRejectedException {
    List<String> keys = order.quantities().keySet().stream().map(this::lockKey).toList();
    // The locks come first and the transaction runs inside them, never the other way round:
    // waiting for a lock inside a transaction would hold a pooled connection while it waits (a
    // burst of orders drains the pool), and releasing before the commit would let the next holder
    // read the stock this order has not committed yet.
    return locks.executeWithLocks(
        keys,
        waitTime,
        leaseTime,
        held -> {
          Map<Long, Long> tokens = fencing == Fencing.TOKENS ? tokens(order, held) : Map.of();
          // A lease that ended while the transaction ran rolls it back rather than committing
          // beside the next holder.
          return inventory.placeOrder(order, tokens, held::checkHeld);
        });
  }

  private Map<Long, Long> tokens(Order order, HeldLocks held) {
    Map<Long, Long> tokens = new TreeMap<>();
    for (long productId : order.quantities().keySet()) {
      String key = lockKey(productId);
      tokens.put(
          productId,
          held.fencingToken(key)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Fencing.TOKENS, but the provider issued no fencing token for " + key)));
    }
    return tokens;
  }

  @Override
  public String toString() {
    return "OrderService[" + inventory + ", keys " + keyPrefix + "<id>, fencing " + fencing + "]";
  }
}
