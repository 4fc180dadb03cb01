package dev.holdfast.lock.spring;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LockCallback;
import dev.holdfast.lock.LockTemplate;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Turns a call of a {@link DistributedLock} method into one {@link LockTemplate#executeWithLocks(
 * java.util.Collection, dev.holdfast.lock.LockOptions, dev.holdfast.lock.LockCallback)} call whose
 * callback proceeds with the invocation. Whatever the method throws, checked or not, passes through
 * unchanged. Thread-safe.
 */
final class DistributedLockInterceptor implements MethodInterceptor {

  private final LockedMethods methods;
  private final ObjectProvider<LockTemplate> template;
  private final ObjectProvider<EntryCheck> entryCheck;

  /**
   * The template and the entry check, looked up at the first call rather than when the advisor is
   * created: the auto-proxy creator creates advisors early, and the template's backend (a Redisson
   * client, meter registries) would then miss the post-processors of ordinary beans. Immutable, so
   * a racy first publication is safe.
   */
  private @Nullable Collaborators collaborators;

  DistributedLockInterceptor(
      LockedMethods methods,
      ObjectProvider<LockTemplate> template,
      ObjectProvider<EntryCheck> entryCheck) {
    this.methods = methods;
    this.template = template;
    this.entryCheck = entryCheck;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    LockedMethod locked =
        methods.find(
            invocation.getMethod(), target == null ? null : AopUtils.getTargetClass(target));
    if (locked == null) {
      return invocation.proceed();
    }
    Collaborators resolved = collaborators();
    resolved.entryCheck.beforeLocking(locked);
    List<String> keys = locked.keys(invocation.getArguments());
    return resolved.template.executeWithLocks(keys, locked.options(), proceeding(invocation));
  }

  // NullAway's standard mode ignores the @Nullable type argument and reads the lambda's null
  // return as breaking a non-null T; JSpecify mode would accept it, but needs JDK 17.0.19+ or 22+.
  @SuppressWarnings("NullAway")
  private static LockCallback<@Nullable Object, RuntimeException> proceeding(
      MethodInvocation invocation) {
    return held -> proceedHolding(held, invocation);
  }

  private static @Nullable Object proceedHolding(HeldLocks held, MethodInvocation invocation) {
    LockFrames frames = LockFrames.ofThisThread();
    frames.push(held);
    try {
      return invocation.proceed();
    } catch (Throwable failure) {
      throw DistributedLockInterceptor.<RuntimeException>unchanged(failure);
    } finally {
      frames.pop();
    }
  }

  /**
   * Throws {@code failure} as it is: the template passes a callback's exception through unchanged,
   * and so must the callback, whatever the annotated method declares. The declared return type lets
   * callers write {@code throw}, so that the compiler sees the branch end.
   */
  @SuppressWarnings({
    "unchecked", // erased: the cast checks nothing, and failure is thrown as it is
    "TypeParameterUnusedInFormals" // the point: X is what the compiler believes is thrown
  })
  private static <X extends Throwable> X unchanged(Throwable failure) throws X {
    throw (X) failure;
  }

  private Collaborators collaborators() {
    Collaborators resolved = collaborators;
    if (resolved == null) {
      resolved =
          new Collaborators(template.getObject(), entryCheck.getIfAvailable(() -> EntryCheck.NONE));
      collaborators = resolved;
    }
    return resolved;
  }

  private static final class Collaborators {
    final LockTemplate template;
    final EntryCheck entryCheck;

    Collaborators(LockTemplate template, EntryCheck entryCheck) {
      this.template = template;
      this.entryCheck = entryCheck;
    }
  }
}
