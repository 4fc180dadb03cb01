/**
 * Order stock deduction on a real database, the use case Holdfast exists for.
 *
 * <p>{@link dev.holdfast.examples.inventory.OrderService} locks {@code lock:product:<id>} for every
 * product of an order, and only then runs the JDBC transaction of {@link
 * dev.holdfast.examples.inventory.Inventory} that reads, checks and deducts stock, fenced by the
 * lock's fencing tokens. {@link dev.holdfast.examples.inventory.RedisStock} is the lock-free
 * alternative common for flash sales: stock held in Redis and decremented by one Lua script.
 */
@NullMarked
package dev.holdfast.examples.inventory;

import org.jspecify.annotations.NullMarked;
