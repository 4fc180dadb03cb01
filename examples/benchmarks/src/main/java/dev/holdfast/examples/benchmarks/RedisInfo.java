package dev.holdfast.examples.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code INFO} sections over a plain socket. Redisson's low-level client needs netty's native
 * transport on the class path, and a {@code RedissonClient} takes seconds to start; {@code INFO}'s
 * reply is one bulk string, which a few lines read. Not thread-safe.
 */
final class RedisInfo implements AutoCloseable {

  private static final int TIMEOUT_MILLIS = 5_000;
  private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)");
  private static final Pattern VERSION = Pattern.compile("^redis_version:(\\S+)");
  private static final Pattern CPU = Pattern.compile("^used_cpu_(?:sys|user):(\\d+)\\.(\\d{6})$");

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RedisInfo(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
  }

  /**
   * Connects to {@code redis://host:port}.
   *
   * @throws UncheckedIOException if the server cannot be reached
   */
  static RedisInfo connect(String address) {
    URI uri = URI.create(address);
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      return new RedisInfo(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw new UncheckedIOException("Cannot reach Redis at " + address, e);
    }
  }

  /** The server's {@code redis_version}. */
  String version() {
    for (String line : info("server")) {
      Matcher version = VERSION.matcher(line);
      if (version.find()) {
        return version.group(1);
      }
    }
    return "unknown";
  }

  /**
   * The calls of every command so far, but {@code INFO}, which this class sends, from {@code INFO
   * commandstats}; commands that Lua scripts call are counted there too.
   */
  long commandCount() {
    long calls = 0;
    for (String line : info("commandstats")) {
      Matcher stat = CALLS.matcher(line);
      if (stat.find() && !stat.group(1).equals("info")) {
        calls += Long.parseLong(stat.group(2));
      }
    }
    return calls;
  }

  /**
   * The server's CPU time so far, its main thread's and its background threads', in microseconds:
   * {@code used_cpu_sys} plus {@code used_cpu_user} of {@code INFO cpu}.
   */
  long cpuMicros() {
    long micros = 0;
    for (String line : info("cpu")) {
      Matcher cpu = CPU.matcher(line);
      if (cpu.find()) {
        micros += Long.parseLong(cpu.group(1)) * 1_000_000 + Long.parseLong(cpu.group(2));
      }
    }
    return micros;
  }

  /** Sends {@code INFO section} and returns the reply's lines. */
  private String[] info(String section) {
    try {
      out.write(
          ("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String header = line(in);
      if (!header.startsWith("$")) {
        throw new IllegalStateException("INFO " + section + " answered " + header);
      }
      byte[] body = new byte[Integer.parseInt(header.substring(1))];
      in.readFully(body);
      line(in); // the CRLF after the bulk string
      return new String(body, StandardCharsets.UTF_8).split("\r\n", -1);
    } catch (IOException e) {
      throw new UncheckedIOException("INFO " + section + " failed", e);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Closes the connection. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the INFO connection", e);
    }
  }
}
