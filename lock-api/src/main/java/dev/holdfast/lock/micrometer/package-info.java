/**
 * Micrometer metrics for lock calls: add a {@link
 * dev.holdfast.lock.micrometer.MicrometerLockListener} to a template. Micrometer is an optional
 * dependency of {@code lock-api}; applications that use this package bring {@code micrometer-core}
 * (1.10 or newer) themselves.
 */
@NullMarked
package dev.holdfast.lock.micrometer;

import org.jspecify.annotations.NullMarked;
