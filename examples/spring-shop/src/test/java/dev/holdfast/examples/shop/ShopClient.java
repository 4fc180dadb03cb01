package dev.holdfast.examples.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.json.JsonParserFactory;

/**
 * A client of one shop instance's HTTP interface, as a caller on another machine would be: JSON
 * over HTTP/1.1, nothing shared with the instance. Replies are parsed with Spring Boot's own small
 * JSON parser, which both Boot lines have, so the same tests run on Boot 3 and Boot 4.
 */
final class ShopClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;

  ShopClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  /** {@code POST /orders} with these lines, in this order. */
  Reply placeOrder(String orderId, List<OrderLine> lines) {
    String json =
        lines.stream()
            .map(
                line ->
                    "{\"productId\":" + line.productId() + ",\"quantity\":" + line.quantity() + "}")
            .collect(Collectors.joining(",", "{\"orderId\":\"" + orderId + "\",\"lines\":[", "]}"));
    return send(
        HttpRequest.newBuilder(base.resolve("/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** {@code GET /products/{id}}. */
  Reply product(long id) {
    return send(HttpRequest.newBuilder(base.resolve("/products/" + id)).GET());
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Object> body =
          response.body().isEmpty()
              ? Map.of()
              : JsonParserFactory.getJsonParser().parseMap(response.body());
      return new Reply(response.statusCode(), response.headers().firstValue("Retry-After"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + base, e);
    }
  }

  /**
   * A reply: its status, its {@code Retry-After} header, and its JSON body (an order, a product, or
   * a problem detail whose {@code exception} names the outcome).
   */
  record Reply(int status, Optional<String> retryAfter, Map<String, Object> body) {

    /** What the reply says happened: {@code placed}, or the problem detail's exception name. */
    String outcome() {
      if (status == 201) {
        return "placed";
      }
      return String.valueOf(body.getOrDefault("exception", "HTTP " + status + " " + body));
    }

    /** A number from the body, for example a product's {@code stock}. */
    long number(String name) {
      return number(body, name);
    }

    /** The lines of an order in the body. */
    List<OrderLine> lines() {
      if (!(body.get("lines") instanceof List<?> lines)) {
        throw new AssertionError("No lines in reply " + this);
      }
      return lines.stream()
          .map(
              line -> {
                if (!(line instanceof Map<?, ?> fields)) {
                  throw new AssertionError("A line is not an object in reply " + this);
                }
                return new OrderLine(
                    number(fields, "productId"), Math.toIntExact(number(fields, "quantity")));
              })
          .toList();
    }

    private long number(Map<?, ?> object, String name) {
      if (!(object.get(name) instanceof Number number)) {
        throw new AssertionError("No number \"" + name + "\" in reply " + this);
      }
      return number.longValue();
    }
  }
}
