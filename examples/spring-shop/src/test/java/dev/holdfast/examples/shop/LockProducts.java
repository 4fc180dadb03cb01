package dev.holdfast.examples.shop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The seeds' lock annotation, for {@link OrderServiceBench}: a method whose second argument is an
 * order's lines runs while {@link SortedRLockAspect} holds the Redisson lock of each of its
 * products.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface LockProducts {}
