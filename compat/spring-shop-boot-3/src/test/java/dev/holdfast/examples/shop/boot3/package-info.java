/**
 * The Spring shop's tests on Spring Boot 3: this package checks that Boot 3 is what they run on.
 */
@NullMarked
package dev.holdfast.examples.shop.boot3;

import org.jspecify.annotations.NullMarked;
