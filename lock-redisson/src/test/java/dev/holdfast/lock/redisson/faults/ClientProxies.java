package dev.holdfast.lock.redisson.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * One client JVM's TCP proxies, one per Redis data node, so the nemesis can cut that client off
 * from a node while the other clients, the sentinels and the other nodes see nothing. The client
 * learns the nodes' real ports from the sentinels or the cluster and maps them to these proxies
 * with Redisson's {@code NatMapper}.
 */
final class ClientProxies implements AutoCloseable {

  private final Map<Integer, TcpCrusher> byNodePort = new LinkedHashMap<>();

  ClientProxies(NioReactor reactor, Collection<Integer> nodePorts) {
    for (int nodePort : nodePorts) {
      TcpCrusher crusher =
          TcpCrusherBuilder.builder()
              .withReactor(reactor)
              .withBindAddress("127.0.0.1", freePort())
              .withConnectAddress("127.0.0.1", nodePort)
              // Linger 0: closing a connection sends a reset, as a middlebox dropping it would.
              .withLingerMs(0)
              .withTcpNoDelay(true)
              .buildAndOpen();
      byNodePort.put(nodePort, crusher);
    }
  }

  /** Each node's real port mapped to this client's proxy port for it. */
  Map<Integer, Integer> portMap() {
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    byNodePort.forEach((node, crusher) -> ports.put(node, crusher.getBindAddress().getPort()));
    return ports;
  }

  /**
   * Stops passing bytes either way between the client and one node, and accepting connections to
   * it; open connections stay open.
   */
  void freeze(int nodePort) {
    proxyOf(nodePort).freeze();
  }

  void unfreeze(int nodePort) {
    proxyOf(nodePort).unfreeze();
  }

  /** Resets every open connection; new ones are accepted at once. */
  void reset() {
    byNodePort.values().forEach(TcpCrusher::closeAllPairs);
  }

  private TcpCrusher proxyOf(int nodePort) {
    TcpCrusher crusher = byNodePort.get(nodePort);
    if (crusher == null) {
      throw new IllegalArgumentException(
          "nodePort must be one of " + byNodePort.keySet() + ", was " + nodePort);
    }
    return crusher;
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (TcpCrusher crusher : byNodePort.values()) {
      try {
        crusher.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("Could not close every proxy");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  /** A loopback port nothing listens on now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port for a proxy", e);
    }
  }
}
