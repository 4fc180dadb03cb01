package dev.holdfast.lock.redisson.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.holdfast.lock.redisson.testing.RedisServer.ReplyException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Just enough RESP2 to send a test's command and decode the reply.
 *
 * <p>Every call opens its own connection, so that no connection can go stale: tests kill and
 * restart the server and run {@code CLIENT KILL}, and a cached connection would then fail the next
 * call for a reason the test did not cause.
 */
final class RespClient {

  private RespClient() {}

  static @Nullable Object call(String host, int port, Duration timeout, List<String> command) {
    int timeoutMillis = Math.toIntExact(timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      // Bounds each read, so a paused server fails the call instead of hanging the test.
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      write(command, out);
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Redis at " + host + ":" + port + " did not answer " + String.join(" ", command), e);
    }
  }

  private static void write(List<String> command, OutputStream out) throws IOException {
    out.write(("*" + command.size() + "\r\n").getBytes(UTF_8));
    for (String argument : command) {
      byte[] bytes = argument.getBytes(UTF_8);
      out.write(("$" + bytes.length + "\r\n").getBytes(UTF_8));
      out.write(bytes);
      out.write("\r\n".getBytes(UTF_8));
    }
  }

  private static @Nullable Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type == -1) {
      throw new EOFException("the server closed the connection before replying");
    }
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new ReplyException(line);
      case ':' -> Long.parseLong(line);
      case '$' -> readBulkString(in, Integer.parseInt(line));
      case '*' -> readArray(in, Integer.parseInt(line));
      default -> throw new IOException("not a RESP2 reply: " + (char) type + line);
    };
  }

  private static @Nullable String readBulkString(InputStream in, int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("the server closed the connection inside a bulk string");
    }
    readLine(in);
    return new String(bytes, UTF_8);
  }

  private static @Nullable List<@Nullable Object> readArray(InputStream in, int size)
      throws IOException {
    if (size < 0) {
      return null;
    }
    List<@Nullable Object> elements = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      elements.add(read(in));
    }
    return Collections.unmodifiableList(elements);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b == -1) {
        throw new EOFException("the server closed the connection inside a reply line");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("a RESP2 line must end with CRLF");
    }
    return line.toString(UTF_8);
  }
}
