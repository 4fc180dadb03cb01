/**
 * Holdfast: multi-key locks taken in one canonical order under one shared deadline.
 *
 * <p>Start with {@link dev.holdfast.lock.LockTemplate}: it validates and orders the keys, asks a
 * {@link dev.holdfast.lock.spi.LockProvider} for all of them at once, runs the callback while they
 * are held and releases them afterwards. Failures come back as the sealed {@link
 * dev.holdfast.lock.LockException} family; the callback's own exceptions pass through unchanged.
 */
@NullMarked
package dev.holdfast.lock;

import org.jspecify.annotations.NullMarked;
