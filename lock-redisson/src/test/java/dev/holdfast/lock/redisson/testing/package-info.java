/**
 * Real Redis servers for tests: {@link dev.holdfast.lock.redisson.testing.RedisServer} starts one
 * that a test can pause, kill, stop and restart, and {@link
 * dev.holdfast.lock.redisson.testing.TestRedisson} connects a Redisson client to it.
 *
 * <p>Published in the test-jar of {@code lock-redisson} for the examples and the fault-injection
 * suite.
 */
@NullMarked
package dev.holdfast.lock.redisson.testing;

import org.jspecify.annotations.NullMarked;
