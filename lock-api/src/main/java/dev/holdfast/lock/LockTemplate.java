package dev.holdfast.lock;

import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs work while holding a set of locks: the keys are de-duplicated and put in the backend's one
 * canonical order, acquired all-or-nothing under one shared wait deadline, held while the callback
 * runs, and released after it returns or throws.
 *
 * <pre>{@code
 * LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create()); // one per JVM, shared
 * long token =
 *     locks.executeWithLocks(
 *         List.of("lock:product:7", "lock:product:3", "lock:product:7"),
 *         Duration.ofSeconds(2),
 *         Duration.ofSeconds(30), // validated, then ignored: an in-memory key has no lease
 *         held -> {
 *           held.checkHeld(); // never throws here: nothing is lost without a lease
 *           stock.merge(7, -2, Integer::sum);
 *           stock.merge(3, -1, Integer::sum);
 *           return held.fencingToken("lock:product:7").orElseThrow();
 *         });
 * }</pre>
 *
 * <p>This example is part of the README's in-memory example, a complete program that {@code
 * ReadmeInMemoryExampleTest} in {@code lock-inmemory} compiles, runs, and holds to this text.
 *
 * <p><b>Outcomes.</b> The callback's value is returned and its exception rethrown unchanged,
 * checked ones included. Otherwise a call throws one of the {@link LockException} types: {@link
 * LockNotAcquiredException} (the wait ended; nothing held), {@link LockInterruptedException}
 * (interrupt flag restored; nothing held), {@link LockBackendException} (the backend failed; never
 * reported as "held by someone else"), and {@link LockLostException} (a lease ended while the
 * callback ran). Each says, by {@link LockException#callbackOutcome()}, whether the callback had
 * run: before it ran, retrying is safe. After a callback that returned normally its work is done,
 * and the call never says otherwise: a release that fails then is reported to the listeners and the
 * log, and the result is returned; a lease found lost then comes as {@link LockLostException}
 * carrying the result. Invalid arguments throw {@link NullPointerException} or {@link
 * IllegalArgumentException} naming the parameter and value, before anything is acquired.
 *
 * <p><b>Keys.</b> A key is a non-blank string of at most {@link #MAX_KEY_LENGTH} characters that
 * UTF-8 can encode exactly: a lone surrogate (half of a surrogate pair) is refused, as a store that
 * keeps keys as UTF-8 bytes would turn it into {@code ?} and so make two keys one. A key must not
 * end with {@link #RESERVED_KEY_SUFFIX}. Every backend refuses the same keys.
 *
 * <p><b>Re-entry.</b> A call made from inside a callback, on the same thread and the same provider,
 * takes only the keys its thread does not hold yet, and releases only those. A nested call asking
 * for a key that sorts before one already held fails at once with {@link
 * LockOrderViolationException}: waiting for it could deadlock. Work handed to another thread is not
 * nested: it waits for the keys like any other caller.
 *
 * <p><b>Timing.</b> Methods without a wait and lease take them from the {@link LockPolicies} given
 * to the builder; explicit arguments win over the policy, whose lease mode still applies. {@link
 * LockOptions} override any of the three values and leave the others to the policy. A call waits
 * for its keys at most its wait time plus the time its backend takes to answer, which a backend
 * may bound (the Redis backend: by its response timeout).
 *
 * <p>Implementations are thread-safe; create one per provider and share it.
 */
public interface LockTemplate {

  /**
   * The most keys one call may list, repeats included. A Redis backend takes a whole set in one
   * script, which holds the server for its duration, and a set this large usually means the lock
   * should guard a coarser resource.
   */
  int MAX_KEYS = 1_000;

  /** The longest key, in characters: lock keys are names, and longer ones are usually a bug. */
  int MAX_KEY_LENGTH = 1_024;

  /**
   * The shortest lease: 10 ms. The Redis backend keeps 2 ms and 1 % of every lease in reserve, for
   * Redis's millisecond expiry and for clock drift, and gives back a lease answered too late to be
   * of use; a shorter lease would leave too little time for the reply. Every backend refuses the
   * same leases.
   */
  Duration MIN_LEASE_TIME = Duration.ofMillis(10);

  /**
   * No key may end with this suffix: backends name their own keys with it (the Redis backend keeps
   * the fencing counter of {@code lock:product:7} at {@code {lock:product:7}:fencing-token}), and a
   * lock key spelled like one of them would collide with it. Refused on every backend alike.
   */
  String RESERVED_KEY_SUFFIX = ":fencing-token";

  /**
   * Returns a template over {@code provider} with default policies and no listeners.
   *
   * @param provider the backend
   * @return the template
   * @throws NullPointerException if {@code provider} is null
   */
  static LockTemplate of(LockProvider provider) {
    return builder(provider).build();
  }

  /**
   * Starts building a template over {@code provider}.
   *
   * @param provider the backend; the template never closes it
   * @return a builder
   * @throws NullPointerException if {@code provider} is null
   */
  static Builder builder(LockProvider provider) {
    return new Builder(Arguments.requireNonNull(provider, "provider"));
  }

  /**
   * Runs {@code callback} while holding every one of {@code keys}.
   *
   * @param keys 1 to {@link #MAX_KEYS} non-blank keys, in any order, repeats allowed
   * @param waitTime how long the whole set may be waited for; zero tries once
   * @param leaseTime how long each key stays held if never released, at least {@link
   *     #MIN_LEASE_TIME}
   * @param callback the work
   * @param <T> the result type
   * @param <X> the checked exception of the callback
   * @return the callback's value
   * @throws X the callback's exception, unchanged
   * @throws LockNotAcquiredException if the wait ended first
   * @throws LockInterruptedException if interrupted while waiting
   * @throws LockBackendException if the backend failed while acquiring (the callback did not run);
   *     a release that fails after the callback returned normally is reported to listeners instead
   * @throws LockLostException if a lease ended while the callback ran (it returned normally; the
   *     exception carries its result)
   * @throws LockOrderViolationException if a nested call asks for a key out of order
   */
  <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, Duration waitTime, Duration leaseTime, LockCallback<T, X> callback)
      throws X;

  /**
   * Runs {@code callback} while holding every one of {@code keys}, with the wait, lease and lease
   * mode of their {@link LockPolicies}.
   *
   * @param keys 1 to {@link #MAX_KEYS} non-blank keys, in any order, repeats allowed
   * @param callback the work
   * @param <T> the result type
   * @param <X> the checked exception of the callback
   * @return the callback's value
   * @throws X the callback's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, LockCallback<T, X> callback) throws X;

  /**
   * Runs {@code callback} while holding every one of {@code keys}, with the wait, lease and lease
   * mode that {@code options} sets and, for each value it leaves unset, the one of their {@link
   * LockPolicies}. The request keeps the policy's name.
   *
   * @param keys 1 to {@link #MAX_KEYS} non-blank keys, in any order, repeats allowed
   * @param options the values that override the policy's; {@link LockOptions#fromPolicy()} for none
   * @param callback the work
   * @param <T> the result type
   * @param <X> the checked exception of the callback
   * @return the callback's value
   * @throws X the callback's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, LockOptions options, LockCallback<T, X> callback) throws X;

  /**
   * Runs {@code action} while holding every one of {@code keys}.
   *
   * @param keys 1 to {@link #MAX_KEYS} non-blank keys, in any order, repeats allowed
   * @param waitTime how long the whole set may be waited for; zero tries once
   * @param leaseTime how long each key stays held if never released, at least {@link
   *     #MIN_LEASE_TIME}
   * @param action the work
   * @param <X> the checked exception of the action
   * @throws X the action's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <X extends Exception> void runWithLocks(
      Collection<String> keys, Duration waitTime, Duration leaseTime, LockAction<X> action)
      throws X {
    executeWithLocks(keys, waitTime, leaseTime, Arguments.requireNonNull(action, "action"));
  }

  /**
   * Runs {@code action} while holding every one of {@code keys}, with the settings of their
   * policies.
   *
   * @param keys 1 to {@link #MAX_KEYS} non-blank keys, in any order, repeats allowed
   * @param action the work
   * @param <X> the checked exception of the action
   * @throws X the action's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <X extends Exception> void runWithLocks(Collection<String> keys, LockAction<X> action)
      throws X {
    executeWithLocks(keys, Arguments.requireNonNull(action, "action"));
  }

  /**
   * Runs {@code callback} while holding {@code key}.
   *
   * @param key a non-blank key
   * @param waitTime how long to wait; zero tries once
   * @param leaseTime how long the key stays held if never released, at least {@link
   *     #MIN_LEASE_TIME}
   * @param callback the work
   * @param <T> the result type
   * @param <X> the checked exception of the callback
   * @return the callback's value
   * @throws X the callback's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <T extends @Nullable Object, X extends Exception> T executeWithLock(
      String key, Duration waitTime, Duration leaseTime, LockCallback<T, X> callback) throws X {
    return executeWithLocks(Arguments.singleKey(key), waitTime, leaseTime, callback);
  }

  /**
   * Runs {@code callback} while holding {@code key}, with the settings of its policy.
   *
   * @param key a non-blank key
   * @param callback the work
   * @param <T> the result type
   * @param <X> the checked exception of the callback
   * @return the callback's value
   * @throws X the callback's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <T extends @Nullable Object, X extends Exception> T executeWithLock(
      String key, LockCallback<T, X> callback) throws X {
    return executeWithLocks(Arguments.singleKey(key), callback);
  }

  /**
   * Runs {@code action} while holding {@code key}.
   *
   * @param key a non-blank key
   * @param waitTime how long to wait; zero tries once
   * @param leaseTime how long the key stays held if never released, at least {@link
   *     #MIN_LEASE_TIME}
   * @param action the work
   * @param <X> the checked exception of the action
   * @throws X the action's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <X extends Exception> void runWithLock(
      String key, Duration waitTime, Duration leaseTime, LockAction<X> action) throws X {
    List<String> keys = Arguments.singleKey(key);
    executeWithLocks(keys, waitTime, leaseTime, Arguments.requireNonNull(action, "action"));
  }

  /**
   * Runs {@code action} while holding {@code key}, with the settings of its policy.
   *
   * @param key a non-blank key
   * @param action the work
   * @param <X> the checked exception of the action
   * @throws X the action's exception, unchanged
   * @throws LockException as for {@link #executeWithLocks(Collection, Duration, Duration,
   *     LockCallback)}
   */
  default <X extends Exception> void runWithLock(String key, LockAction<X> action) throws X {
    List<String> keys = Arguments.singleKey(key);
    executeWithLocks(keys, Arguments.requireNonNull(action, "action"));
  }

  /** Builds a {@link LockTemplate}. Not thread-safe; the template it builds is. */
  final class Builder {

    private final LockProvider provider;
    private LockPolicies policies = LockPolicies.ofDefaults();
    private Ticker ticker = Ticker.systemTicker();
    private final List<LockListener> listeners = new ArrayList<>();

    private Builder(LockProvider provider) {
      this.provider = provider;
    }

    /**
     * Sets the per-key policies used when a call gives no wait and lease.
     *
     * @param policies the policies
     * @return this builder
     * @throws NullPointerException if {@code policies} is null
     */
    public Builder policies(LockPolicies policies) {
      this.policies = Arguments.requireNonNull(policies, "policies");
      return this;
    }

    /**
     * Adds a listener; listeners are called in the order added, each guarded.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(LockListener listener) {
      listeners.add(Arguments.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets the time source for deadlines and measured durations; {@link Ticker#systemTicker()} by
     * default.
     *
     * @param ticker the time source
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Arguments.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Builds the template.
     *
     * @return a thread-safe template
     */
    public LockTemplate build() {
      LockListener listener =
          listeners.isEmpty() ? NoOpLockListener.INSTANCE : new GuardedLockListener(listeners);
      return new DefaultLockTemplate(provider, policies, listener, ticker);
    }
  }
}
