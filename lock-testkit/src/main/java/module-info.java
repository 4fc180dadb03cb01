/**
 * The contract test kit: a backend's test class extends {@link
 * dev.holdfast.lock.testkit.LockProviderContract} and runs every guarantee against its provider.
 *
 * <p>The package is open to JUnit, which calls the contract's package-private test methods
 * reflectively; a backend's tests read the JUnit API and Holdfast's API through this module.
 */
module dev.holdfast.lock.testkit {
  requires transitive dev.holdfast.lock;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires static org.jspecify;

  exports dev.holdfast.lock.testkit;

  opens dev.holdfast.lock.testkit to
      org.junit.platform.commons;
}
