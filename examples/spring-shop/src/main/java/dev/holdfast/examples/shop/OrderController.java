package dev.holdfast.examples.shop;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockLostException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The shop's HTTP interface; failures become problem details in {@link ShopExceptionHandler}. */
@RestController
class OrderController {

  private static final Logger LOG = LoggerFactory.getLogger(OrderController.class);

  private final OrderService orders;
  private final Inventory inventory;

  OrderController(OrderService orders, Inventory inventory) {
    this.orders = orders;
    this.inventory = inventory;
  }

  /**
   * Places an order: 201 with the order, its lines summed per product. Refusals and lock outcomes
   * are mapped by {@link ShopExceptionHandler}.
   */
  @PostMapping("/orders")
  ResponseEntity<Order> createOrder(@RequestBody OrderRequest request) {
    String orderId = request.orderId() != null ? request.orderId() : UUID.randomUUID().toString();
    try {
      return created(orders.createOrder(orderId, request.lines()));
    } catch (LockLostException | LockBackendException e) {
      // These can come after the order's work ran: a lease found lost before the commit rolled the
      // order back, one found lost after it did not. The database knows which.
      Optional<Order> placed = orders.order(orderId);
      if (placed.isEmpty()) {
        throw e;
      }
      // The commit came first; the fenced claims kept any next holder off the order's rows until
      // then, so the order stands.
      LOG.warn("Order {} committed, but then: {}", orderId, e.getMessage());
      return created(placed.get());
    }
  }

  /** The order with this id: 200, or 404 if none was placed. */
  @GetMapping("/orders/{id}")
  ResponseEntity<Order> order(@PathVariable String id) {
    return ResponseEntity.of(orders.order(id));
  }

  /** The product with this id and its stock: 200, or 404. */
  @GetMapping("/products/{id}")
  ResponseEntity<Product> product(@PathVariable long id) {
    return ResponseEntity.of(inventory.product(id));
  }

  private static ResponseEntity<Order> created(Order order) {
    return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
  }
}
