/**
 * Holdfast's API ({@link dev.holdfast.lock.LockTemplate} and what it returns and throws), the SPI a
 * backend implements ({@link dev.holdfast.lock.spi.LockProvider}) and the Micrometer listener.
 *
 * <p>Micrometer is optional: only {@link dev.holdfast.lock.micrometer.MicrometerLockListener} and
 * {@link dev.holdfast.lock.micrometer.ObservationLockListener} use it, and a module that creates
 * one, handing it a {@code MeterRegistry} or an {@code ObservationRegistry}, requires {@code
 * micrometer.core} or {@code micrometer.observation} itself. JSpecify's nullness annotations are
 * needed to compile against the API, not to run it.
 */
// Micrometer's modules are automatic: Micrometer 1.x ships no module descriptor.
@SuppressWarnings("requires-automatic")
module dev.holdfast.lock {
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static micrometer.core;
  requires static micrometer.observation;

  exports dev.holdfast.lock;
  exports dev.holdfast.lock.spi;
  exports dev.holdfast.lock.micrometer;
}
