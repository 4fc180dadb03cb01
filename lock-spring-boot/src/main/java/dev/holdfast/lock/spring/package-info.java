/**
 * Holdfast for Spring Boot: auto-configuration of the provider and {@link
 * dev.holdfast.lock.LockTemplate} from {@code holdfast.*} properties, and {@code @DistributedLock},
 * which turns an annotated method call into one {@code executeWithLocks} call taken outside every
 * transaction.
 */
@NullMarked
package dev.holdfast.lock.spring;

import org.jspecify.annotations.NullMarked;
