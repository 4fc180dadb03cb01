/**
 * The contract test kit: a backend's test extends {@link
 * dev.holdfast.lock.testkit.LockProviderContract} once and is tested against every guarantee of
 * Holdfast, gated by the capabilities the backend declares.
 */
@NullMarked
package dev.holdfast.lock.testkit;

import org.jspecify.annotations.NullMarked;
