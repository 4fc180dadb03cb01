/**
 * The backend SPI: what a lock store implements so that {@link dev.holdfast.lock.LockTemplate} can
 * use it. A backend implements {@link dev.holdfast.lock.spi.LockProvider}; one that can only lock a
 * key at a time gets ordered, all-or-nothing acquisition under one deadline from {@link
 * dev.holdfast.lock.spi.OrderedAcquisition}. Prove a backend with {@code
 * dev.holdfast.lock.testkit.LockProviderContract} from the {@code lock-testkit} module.
 */
@NullMarked
package dev.holdfast.lock.spi;

import org.jspecify.annotations.NullMarked;
