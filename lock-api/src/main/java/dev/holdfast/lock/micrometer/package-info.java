/**
 * Micrometer bindings for lock calls: add a {@link
 * dev.holdfast.lock.micrometer.MicrometerLockListener} to a template for metrics, an {@link
 * dev.holdfast.lock.micrometer.ObservationLockListener} for an observation of each acquisition (a
 * span with a tracing bridge). Micrometer is an optional dependency of {@code lock-api};
 * applications that use this package bring {@code micrometer-core} or {@code
 * micrometer-observation} (1.10 or newer) themselves.
 */
@NullMarked
package dev.holdfast.lock.micrometer;

import org.jspecify.annotations.NullMarked;
