package dev.holdfast.lock;

import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link LockTemplate} the builder makes. */
final class DefaultLockTemplate implements LockTemplate {

  private static final Logger LOG = LoggerFactory.getLogger(LockTemplate.class);

  private final LockProvider provider;
  private final Comparator<String> keyOrder;
  private final LockPolicies policies;
  private final LockListener listener;
  private final Ticker ticker;

  /** False without listeners: then no event needs a duration, and the clock is read less. */
  private final boolean observed;

  DefaultLockTemplate(
      LockProvider provider, LockPolicies policies, LockListener listener, Ticker ticker) {
    this.provider = provider;
    this.keyOrder = Arguments.requireNonNull(provider.keyOrder(), "provider.keyOrder()");
    this.policies = policies;
    this.listener = listener;
    this.ticker = ticker;
    this.observed = listener != NoOpLockListener.INSTANCE;
  }

  @Override
  public <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, Duration waitTime, Duration leaseTime, LockCallback<T, X> callback)
      throws X {
    return executeCanonical(Arguments.canonicalKeys(keys, keyOrder), waitTime, leaseTime, callback);
  }

  @Override
  public <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, LockCallback<T, X> callback) throws X {
    return executeCanonical(Arguments.canonicalKeys(keys, keyOrder), callback);
  }

  // The single-key methods check their key once and go straight on: a one-key list needs no
  // de-duplication or sorting, and checking it again as a collection would scan the key twice.

  @Override
  public <T extends @Nullable Object, X extends Exception> T executeWithLock(
      String key, Duration waitTime, Duration leaseTime, LockCallback<T, X> callback) throws X {
    return executeCanonical(Arguments.singleKey(key), waitTime, leaseTime, callback);
  }

  @Override
  public <T extends @Nullable Object, X extends Exception> T executeWithLock(
      String key, LockCallback<T, X> callback) throws X {
    return executeCanonical(Arguments.singleKey(key), callback);
  }

  @Override
  public <X extends Exception> void runWithLock(
      String key, Duration waitTime, Duration leaseTime, LockAction<X> action) throws X {
    List<String> keys = Arguments.singleKey(key);
    executeCanonical(keys, waitTime, leaseTime, Arguments.requireNonNull(action, "action"));
  }

  @Override
  public <X extends Exception> void runWithLock(String key, LockAction<X> action) throws X {
    List<String> keys = Arguments.singleKey(key);
    executeCanonical(keys, Arguments.requireNonNull(action, "action"));
  }

  private <T extends @Nullable Object, X extends Exception> T executeCanonical(
      List<String> keys, Duration waitTime, Duration leaseTime, LockCallback<T, X> callback)
      throws X {
    Arguments.requireWaitTime(waitTime, "waitTime");
    Arguments.requireLeaseTime(leaseTime, "leaseTime");
    Arguments.requireNonNull(callback, "callback");
    return execute(keys, waitTime, leaseTime, null, callback);
  }

  private <T extends @Nullable Object, X extends Exception> T executeCanonical(
      List<String> keys, LockCallback<T, X> callback) throws X {
    Arguments.requireNonNull(callback, "callback");
    return execute(keys, null, null, null, callback);
  }

  @Override
  public <T extends @Nullable Object, X extends Exception> T executeWithLocks(
      Collection<String> keys, LockOptions options, LockCallback<T, X> callback) throws X {
    List<String> canonical = Arguments.canonicalKeys(keys, keyOrder);
    Arguments.requireNonNull(options, "options");
    Arguments.requireNonNull(callback, "callback");
    return execute(
        canonical,
        options.waitTimeOrNull(),
        options.leaseTimeOrNull(),
        options.leaseModeOrNull(),
        callback);
  }

  /** A null wait, lease or mode comes from the keys' policy. */
  private <T extends @Nullable Object, X extends Exception> T execute(
      List<String> keys,
      @Nullable Duration waitTime,
      @Nullable Duration leaseTime,
      @Nullable LeaseMode leaseMode,
      LockCallback<T, X> callback)
      throws X {
    HeldFrame frames = HeldFrame.ofThisThread();
    if (frames.holdsAny(provider)) {
      return executeNested(frames, keys, waitTime, leaseTime, leaseMode, callback);
    }
    LockRequest request = resolve(keys, waitTime, leaseTime, leaseMode);
    LockHandle handle = acquire(request);
    return runAndRelease(frames, request, handle, null, callback);
  }

  /**
   * A call made while the thread already holds keys of this provider: keys it holds are not taken
   * again, and a key ordered before one it holds is refused. Kept apart from {@link #execute}, so
   * that the usual call stays under C2's size limit for inlining a hot method (325 bytecodes): the
   * objects one call makes (the key list, the request, the view) can only be left unallocated when
   * the whole call is inlined into its caller.
   */
  private <T extends @Nullable Object, X extends Exception> T executeNested(
      HeldFrame frames,
      List<String> keys,
      @Nullable Duration waitTime,
      @Nullable Duration leaseTime,
      @Nullable LeaseMode leaseMode,
      LockCallback<T, X> callback)
      throws X {
    LockHandle[] owners = new LockHandle[keys.size()];
    List<String> missing = new ArrayList<>(0);
    for (int i = 0; i < keys.size(); i++) {
      owners[i] = frames.ownerOf(provider, keys.get(i), keyOrder);
      if (owners[i] == null) {
        missing.add(keys.get(i));
      }
    }
    if (missing.isEmpty()) {
      // Nothing to acquire or report, but a failed liveness check needs a request to report under.
      LockRequest reentered = resolve(keys, waitTime, leaseTime, leaseMode);
      return callback.doWithLocks(new HeldLocksView(keys, owners, reentered, listener));
    }
    if (keyOrder.compare(missing.get(0), frames.greatestKey(provider)) < 0) {
      throw new LockOrderViolationException(frames.allKeys(provider), missing.get(0));
    }
    LockRequest request = resolve(List.copyOf(missing), waitTime, leaseTime, leaseMode);
    LockHandle handle = acquire(request);
    for (int i = 0; i < owners.length; i++) {
      if (owners[i] == null) {
        owners[i] = handle;
      }
    }
    return runAndRelease(
        frames, request, handle, new HeldLocksView(keys, owners, request, listener), callback);
  }

  private LockRequest resolve(
      List<String> keys,
      @Nullable Duration waitTime,
      @Nullable Duration leaseTime,
      @Nullable LeaseMode leaseMode) {
    LockPolicy policy = policies.policyFor(keys);
    return LockRequest.ofValidated(
        keys,
        waitTime != null ? waitTime : policy.waitTime(),
        leaseTime != null ? leaseTime : policy.leaseTime(),
        leaseMode != null ? leaseMode : policy.leaseMode(),
        policy.name());
  }

  private LockHandle acquire(LockRequest request) {
    listener.onAttempt(request);
    // Listeners are told how long the whole acquisition waited, so theirs starts now; without
    // them the wait starts when the provider first asks, and a free key costs no clock read.
    // Only the listened-to deadline reaches the interruption's report: a deadline that the rare
    // path takes as an argument is one the JIT must allocate on every call.
    Deadline listened = observed ? Deadline.after(request.waitTime(), ticker) : null;
    Deadline deadline =
        listened != null ? listened : Deadline.startingAtFirstUse(request.waitTime(), ticker);
    Acquisition acquisition;
    try {
      acquisition = provider.acquire(request, deadline);
    } catch (InterruptedException e) {
      throw interrupted(request, listened, e);
    } catch (RuntimeException e) {
      throw backendFailure(
          request, "Backend failed while acquiring " + request.keys(), e, CallbackOutcome.NOT_RUN);
    }
    if (!observed && acquisition instanceof Acquisition.Acquired acquired) {
      return acquired.handle();
    }
    return reportAcquisition(request, deadline, acquisition);
  }

  /** Without a {@code listened} deadline there are no listeners to tell. */
  private LockInterruptedException interrupted(
      LockRequest request, @Nullable Deadline listened, InterruptedException e) {
    Thread.currentThread().interrupt();
    if (listened != null) {
      listener.onInterrupted(request, listened.elapsed());
    }
    return new LockInterruptedException(request.keys(), e);
  }

  /**
   * Tells listeners how {@code acquisition} ended and returns its handle, or throws what it means.
   * Apart from {@link #acquire}, which stays small enough to inline for a call with no listeners.
   */
  private LockHandle reportAcquisition(
      LockRequest request, Deadline deadline, @Nullable Acquisition acquisition) {
    if (acquisition == null) {
      throw backendFailure(
          request,
          "Backend failed while acquiring " + request.keys(),
          new NullPointerException(provider + " returned no acquisition"),
          CallbackOutcome.NOT_RUN);
    }
    if (acquisition instanceof Acquisition.Blocked blocked) {
      LockNotAcquiredException notAcquired =
          new LockNotAcquiredException(request.keys(), blocked.blockingKeys(), deadline.elapsed());
      listener.onNotAcquired(request, notAcquired);
      throw notAcquired;
    }
    LockHandle handle = ((Acquisition.Acquired) acquisition).handle();
    if (observed) {
      try {
        listener.onAcquired(request, deadline.elapsed());
      } catch (Throwable listenerError) { // an Error: the guard swallows everything else
        releaseAfter(listenerError, request, handle, 0, CallbackOutcome.NOT_RUN);
        throw listenerError;
      }
    }
    return handle;
  }

  /**
   * Runs the callback while the keys are held, then releases them.
   *
   * @param nestedView what a nested call's callback sees; null for a call nested in no other, whose
   *     view this method makes itself: made here, it is never passed to another method, so the JIT
   *     need not allocate it even when this method is compiled on its own
   */
  private <T extends @Nullable Object, X extends Exception> T runAndRelease(
      HeldFrame frames,
      LockRequest request,
      LockHandle handle,
      @Nullable HeldLocksView nestedView,
      LockCallback<T, X> callback)
      throws X {
    HeldLocks held =
        nestedView != null ? nestedView : HeldLocksView.heldBy(request, handle, listener);
    long acquiredAt;
    try {
      acquiredAt = observed ? ticker.read() : 0;
    } catch (Throwable tickerFailure) { // the keys are held: give them back before it propagates
      releaseAfter(tickerFailure, request, handle, 0, CallbackOutcome.NOT_RUN);
      throw tickerFailure;
    }
    frames.push(provider, request.keys(), handle);
    T result;
    try {
      result = callback.doWithLocks(held);
    } catch (Throwable failure) {
      frames.pop();
      releaseAfter(failure, request, handle, acquiredAt, CallbackOutcome.THREW);
      throw failure;
    }
    frames.pop();
    List<String> lost;
    try {
      lost = release(request, handle, acquiredAt, CallbackOutcome.COMPLETED);
    } catch (LockBackendException releaseFailure) {
      // The work is done: an exception here would tell the caller to retry it, and do it twice.
      // Listeners have the failure; the backend gives the keys back in the background, and their
      // leases end regardless.
      logReleaseFailure(request, releaseFailure);
      return result;
    }
    if (!lost.isEmpty()) {
      throw new LockLostException(request.keys(), lost, result);
    }
    return result;
  }

  private static void logReleaseFailure(LockRequest request, LockBackendException failure) {
    LOG.warn(
        "Release of {} failed after the callback completed; its result is returned",
        request.keys(),
        failure);
  }

  /**
   * Releases after a callback that threw, or never ran: what goes wrong here is attached to {@code
   * failure}, saying {@code outcome}.
   */
  private void releaseAfter(
      Throwable failure,
      LockRequest request,
      LockHandle handle,
      long acquiredAt,
      CallbackOutcome outcome) {
    try {
      List<String> lost = release(request, handle, acquiredAt, outcome);
      if (!lost.isEmpty()) {
        failure.addSuppressed(
            new LockLostException(request.keys(), lost).withCallbackOutcome(outcome));
      }
    } catch (LockBackendException releaseFailure) {
      failure.addSuppressed(releaseFailure);
    }
  }

  /**
   * Releases and reports; returns the keys found lost.
   *
   * @param outcome what had happened to the callback, for a release failure to say
   */
  private List<String> release(
      LockRequest request, LockHandle handle, long acquiredAt, CallbackOutcome outcome) {
    List<String> lost;
    try {
      lost = handle.release();
    } catch (RuntimeException e) {
      throw backendFailure(request, "Backend failed while releasing " + request.keys(), e, outcome);
    }
    if (observed) {
      reportReleased(request, acquiredAt, outcome);
    }
    if (!lost.isEmpty()) {
      listener.onLost(request, lost);
    }
    return lost;
  }

  /**
   * Tells listeners how long the keys were held: no time when the callback never ran (the ticker
   * may be what failed). A ticker that fails here fails only the report.
   */
  private void reportReleased(LockRequest request, long acquiredAt, CallbackOutcome outcome) {
    if (outcome == CallbackOutcome.NOT_RUN) {
      listener.onReleased(request, Duration.ZERO);
      return;
    }
    long releasedAt;
    try {
      releasedAt = ticker.read();
    } catch (RuntimeException tickerFailure) {
      LOG.warn(
          "Ticker {} failed; the release of {} is not reported", ticker, request, tickerFailure);
      return;
    }
    listener.onReleased(request, Duration.ofNanos(releasedAt - acquiredAt));
  }

  private LockBackendException backendFailure(
      LockRequest request, String message, RuntimeException cause, CallbackOutcome outcome) {
    LockBackendException failure =
        cause instanceof LockBackendException backendFailure
            ? backendFailure
            : new LockBackendException(message, request.keys(), cause);
    failure.withCallbackOutcome(outcome);
    listener.onBackendFailure(request, failure);
    return failure;
  }

  @Override
  public String toString() {
    return "LockTemplate{provider=" + provider + ", policies=" + policies + '}';
  }
}
