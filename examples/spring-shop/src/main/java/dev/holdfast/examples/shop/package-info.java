/**
 * The order service of a shop on Holdfast's Spring Boot starter: {@link
 * dev.holdfast.examples.shop.OrderService#createOrder} takes the lock of every product of an order
 * in one {@code @DistributedLock} call, outside the transaction, and {@link
 * dev.holdfast.examples.shop.Inventory#reserve} writes the stock in a fenced JDBC transaction
 * inside it. {@code POST /orders} places an order over HTTP.
 */
@NullMarked
package dev.holdfast.examples.shop;

import org.jspecify.annotations.NullMarked;
