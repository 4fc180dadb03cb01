package dev.holdfast.examples.shop;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockInterruptedException;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import java.time.Duration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns each typed outcome of an order into an HTTP problem detail ({@code
 * application/problem+json}) whose {@code exception} property names the outcome, and says whether
 * anything was written. A 503 carries {@code Retry-After}: each of those outcomes left nothing
 * behind, so the client may send the same order again.
 */
@RestControllerAdvice
class ShopExceptionHandler {

  /** How long a client should wait before it sends a refused order again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** 409: a product is short; nothing was written. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> outOfStock(OutOfStockException e) {
    ProblemDetail problem = problem(HttpStatus.CONFLICT, "Out of stock", e);
    problem.setProperty("productId", e.productId());
    problem.setProperty("requested", e.requested());
    problem.setProperty("available", e.available());
    return ResponseEntity.of(problem).build();
  }

  /** 422: the order names a product the shop does not have; nothing was written. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> unknownProduct(UnknownProductException e) {
    // 422 by number: Spring 7 renamed its constant (UNPROCESSABLE_CONTENT), Spring 6.2 lacks the
    // new one.
    ProblemDetail problem = problem(HttpStatusCode.valueOf(422), "Unknown product", e);
    problem.setProperty("productId", e.productId());
    return ResponseEntity.of(problem).build();
  }

  /** 409: the client reused an order id. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> duplicateOrder(DuplicateKeyException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONFLICT,
            "An order with this id was placed before; GET /orders/{id} shows it");
    problem.setTitle("Order exists");
    problem.setProperty("exception", e.getClass().getSimpleName());
    return ResponseEntity.of(problem).build();
  }

  /** 503: another order held a product for the whole wait; nothing happened. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> busy(LockNotAcquiredException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Products busy",
            e,
            "Other orders held " + e.blockingKeys() + " for " + e.waited().toMillis() + " ms");
    problem.setProperty("blockingKeys", e.blockingKeys());
    return retryLater(problem);
  }

  /**
   * 503: a lease ended before the order's commit, which rolled it back; nothing was written. (The
   * controller answers 201 instead when the order did commit.)
   */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> lost(LockLostException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Lock lost",
            e,
            "The lease of "
                + e.lostKeys()
                + " ended before the order committed, so it was rolled back; nothing was written");
    problem.setProperty("lostKeys", e.lostKeys());
    return retryLater(problem);
  }

  /**
   * 503: an older holder of a product's lock was overtaken by a newer one, and its row refused the
   * order; nothing was written.
   */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> overtaken(StaleFencingTokenException e) {
    return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock overtaken", e));
  }

  /**
   * 503: the lock service could not be asked, or the request thread was interrupted while waiting;
   * the order did not commit (the controller answers 201 if it had).
   */
  @ExceptionHandler({LockBackendException.class, LockInterruptedException.class})
  ResponseEntity<ProblemDetail> lockUnavailable(RuntimeException e) {
    return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock service unavailable", e));
  }

  private static ProblemDetail problem(HttpStatusCode status, String title, RuntimeException e) {
    return problem(status, title, e, String.valueOf(e.getMessage()));
  }

  private static ProblemDetail problem(
      HttpStatusCode status, String title, RuntimeException e, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setProperty("exception", e.getClass().getSimpleName());
    return problem;
  }

  private static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem) {
    return ResponseEntity.of(problem)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
        .build();
  }
}
