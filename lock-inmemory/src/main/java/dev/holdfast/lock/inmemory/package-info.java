/**
 * The in-memory backend: {@link dev.holdfast.lock.inmemory.InMemoryLockProvider}, locks for one
 * JVM.
 */
@NullMarked
package dev.holdfast.lock.inmemory;

import org.jspecify.annotations.NullMarked;
