/**
 * JMH benchmarks that measure Holdfast next to what a user would pick instead, in one run: raw
 * Redisson {@code RLock} and {@code RedissonMultiLock} for the Redis backend, a map of {@code
 * ReentrantLock}s for the in-memory one, and the direct template call for Spring's {@code
 * DistributedLock} annotation. {@link dev.holdfast.examples.benchmarks.BenchmarkSuite} runs them
 * and prints the ratios; {@code run-benchmarks.sh} starts a Redis server for it.
 */
@NullMarked
package dev.holdfast.examples.benchmarks;

import org.jspecify.annotations.NullMarked;
