package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LeaseMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import kotlin.coroutines.Continuation;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An annotated method that cannot be locked as written fails the context at startup, with a message
 * naming the method and what is wrong, instead of running without its locks.
 */
final class StartupRefusalsTest {

  private final ApplicationContextRunner runner = TestLocks.runner();

  @Test
  void refusesAPrivateMethod() {
    assertRefused(
        PrivateMethod.class,
        "@DistributedLock on StartupRefusalsTest.PrivateMethod.hidden(String): the method is not"
            + " public, and only public methods are locked");
  }

  @Test
  void refusesAPackagePrivateMethod() {
    assertRefused(
        PackagePrivateMethod.class,
        "@DistributedLock on StartupRefusalsTest.PackagePrivateMethod.internal(String): the"
            + " method is not public");
  }

  @Test
  void refusesAStaticMethod() {
    assertRefused(
        StaticMethod.class,
        "@DistributedLock on StartupRefusalsTest.StaticMethod.shared(String): the method is"
            + " static");
  }

  @Test
  void refusesAFinalMethod() {
    assertRefused(
        FinalMethod.class,
        "@DistributedLock on StartupRefusalsTest.FinalMethod.fixed(String): the method is final,"
            + " and a class-based proxy cannot override it");
  }

  @Test
  void refusesAMethodReturningACompletableFutureSayingWhy() {
    assertRefused(
        ReturnsFuture.class,
        "@DistributedLock on StartupRefusalsTest.ReturnsFuture.later(String): the method returns"
            + " java.util.concurrent.CompletableFuture (a java.util.concurrent.CompletionStage):"
            + " its work runs after it returns, when the locks have been released");
  }

  @Test
  void refusesAMethodReturningAPlainFuture() {
    assertRefused(
        ReturnsPlainFuture.class,
        "returns java.util.concurrent.Future (a java.util.concurrent.Future)");
  }

  @Test
  void refusesAMethodReturningAFlowPublisher() {
    assertRefused(ReturnsFlowPublisher.class, "(a java.util.concurrent.Flow$Publisher)");
  }

  @Test
  void refusesAMethodReturningAReactiveStreamsPublisher() {
    assertRefused(ReturnsPublisher.class, "(a org.reactivestreams.Publisher)");
  }

  @Test
  void refusesAKotlinSuspendFunction() {
    assertRefused(
        SuspendFunction.class,
        "@DistributedLock on StartupRefusalsTest.SuspendFunction.reserve(String, Continuation):"
            + " the method is a Kotlin suspend function: it returns at its first suspension, the"
            + " locks would be released then");
  }

  @Test
  void refusesAnExpressionThatDoesNotParse() {
    assertRefused(
        Unparsable.class,
        "@DistributedLock on StartupRefusalsTest.Unparsable.reserve(String): key expression"
            + " \"#id.![\" does not parse: ");
  }

  @Test
  void refusesAnExpressionReadingAVariableThatIsNoParameterListingTheParameters() {
    assertRefused(
        Misspelt.class,
        "@DistributedLock on StartupRefusalsTest.Misspelt.reserve(long, int): key expression"
            + " \"#productld + #qty\" reads #productld, #qty, which are not parameters; the"
            + " parameters are #productId (#p0), #quantity (#p1)");
  }

  @Test
  void refusesAnAnnotationWithoutKeys() {
    assertRefused(
        NoKeys.class,
        "@DistributedLock on StartupRefusalsTest.NoKeys.reserve(String): keys must name at least"
            + " one expression, was {}");
  }

  @Test
  void refusesABlankKeyExpression() {
    assertRefused(
        BlankKey.class,
        "@DistributedLock on StartupRefusalsTest.BlankKey.reserve(String): a key expression must"
            + " not be blank, was \" \"");
  }

  @Test
  void refusesAWaitTimeThatIsNoDurationNamingAttributeAndValue() {
    assertRefused(
        NotADuration.class,
        "@DistributedLock on StartupRefusalsTest.NotADuration.reserve(String): waitTime \"2"
            + " parsecs\" is not a duration such as 2s, 500ms or PT2S");
  }

  @Test
  void refusesAPlaceholderThatDoesNotResolve() {
    assertRefused(
        Unresolvable.class,
        "@DistributedLock on StartupRefusalsTest.Unresolvable.reserve(String): leaseTime"
            + " \"${shop.lock.lease}\" cannot be resolved: ");
  }

  @Test
  void refusesANegativeWaitTimeResolvedFromAPropertyShowingBoth() {
    runner
        .withPropertyValues("shop.lock.wait=-1s")
        .withBean(NegativeWait.class)
        .run(
            context ->
                assertThat(refusal(context.getStartupFailure()))
                    .hasMessage(
                        "@DistributedLock on StartupRefusalsTest.NegativeWait.reserve(String):"
                            + " waitTime \"${shop.lock.wait}\" (resolved to \"-1s\"): waitTime"
                            + " must not be negative, was PT-1S"));
  }

  @Test
  void refusesALeaseShorterThanAMillisecond() {
    assertRefused(
        TooShortLease.class,
        "@DistributedLock on StartupRefusalsTest.TooShortLease.reserve(String): leaseTime \"0ms\":"
            + " leaseTime must be at least PT0.01S, was PT0S");
  }

  @Test
  void refusesTwoLeaseModes() {
    assertRefused(
        TwoLeaseModes.class,
        "@DistributedLock on StartupRefusalsTest.TwoLeaseModes.reserve(String): leaseMode must"
            + " name at most one mode, was [FIXED, RENEWING]");
  }

  private void assertRefused(Class<?> bean, String message) {
    runner
        .withBean(bean)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(refusal(context.getStartupFailure())).hasMessageContaining(message);
            });
  }

  /** The exception that says why, from the bean creation failure that carries it. */
  private static Throwable refusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (cause instanceof IllegalStateException
          && message != null
          && message.startsWith("@DistributedLock on ")) {
        return cause;
      }
    }
    throw new AssertionError("No @DistributedLock refusal in " + failure, failure);
  }

  /** Locks nothing: a proxy never sees the call. */
  public static class PrivateMethod {
    @DistributedLock(keys = "#id")
    private void hidden(String id) {}

    public void call(String id) {
      hidden(id);
    }
  }

  /** Calls from other classes of the package may bypass the proxy. */
  public static class PackagePrivateMethod {
    @DistributedLock(keys = "#id")
    void internal(String id) {}
  }

  /** Nothing to intercept. */
  public static class StaticMethod {
    @DistributedLock(keys = "#id")
    public static void shared(String id) {}
  }

  /** A class-based proxy cannot override it. */
  public static class FinalMethod {
    @DistributedLock(keys = "#id")
    public final void fixed(String id) {}
  }

  /** The work completes after the method returns. */
  public static class ReturnsFuture {
    @DistributedLock(keys = "#id")
    public CompletableFuture<String> later(String id) {
      return CompletableFuture.completedFuture(id);
    }
  }

  /** The work completes after the method returns. */
  public static class ReturnsPlainFuture {
    @DistributedLock(keys = "#id")
    public Future<String> later(String id) {
      return CompletableFuture.completedFuture(id);
    }
  }

  /** The work runs when subscribed to. */
  public static class ReturnsFlowPublisher {
    @DistributedLock(keys = "#id")
    public Flow.Publisher<String> later(String id) {
      return subscriber -> {};
    }
  }

  /** The work runs when subscribed to. */
  public static class ReturnsPublisher {
    @DistributedLock(keys = "#id")
    public Publisher<String> later(String id) {
      return subscriber -> {};
    }
  }

  /** What Kotlin compiles {@code suspend fun reserve(id: String): Any?} to. */
  public static class SuspendFunction {
    @DistributedLock(keys = "#id")
    public Object reserve(String id, Continuation<? super Object> continuation) {
      return id;
    }
  }

  /** Bad SpEL. */
  public static class Unparsable {
    @DistributedLock(keys = "#id.![")
    public void reserve(String id) {}
  }

  /** Variables that are not parameters. */
  public static class Misspelt {
    @DistributedLock(keys = "#productld + #qty")
    public void reserve(long productId, int quantity) {}
  }

  /** No key expression. */
  public static class NoKeys {
    @DistributedLock(keys = {})
    public void reserve(String id) {}
  }

  /** A blank key expression. */
  public static class BlankKey {
    @DistributedLock(keys = " ")
    public void reserve(String id) {}
  }

  /** Not a duration. */
  public static class NotADuration {
    @DistributedLock(keys = "#id", waitTime = "2 parsecs")
    public void reserve(String id) {}
  }

  /** A placeholder without a property. */
  public static class Unresolvable {
    @DistributedLock(keys = "#id", leaseTime = "${shop.lock.lease}")
    public void reserve(String id) {}
  }

  /** A property out of range. */
  public static class NegativeWait {
    @DistributedLock(keys = "#id", waitTime = "${shop.lock.wait}")
    public void reserve(String id) {}
  }

  /** Shorter than Redis can hold. */
  public static class TooShortLease {
    @DistributedLock(keys = "#id", leaseTime = "0ms")
    public void reserve(String id) {}
  }

  /** Which one? */
  public static class TwoLeaseModes {
    @DistributedLock(
        keys = "#id",
        leaseMode = {LeaseMode.FIXED, LeaseMode.RENEWING})
    public void reserve(String id) {}
  }
}
