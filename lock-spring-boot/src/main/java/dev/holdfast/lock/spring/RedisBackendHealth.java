package dev.holdfast.lock.spring;

import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.api.redisnode.RedisMaster;
import org.redisson.api.redisnode.RedisNodeAsync;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/**
 * Sends {@code PING} to every Redis master the client knows, the masters that hold lock keys, all
 * at once, and waits for the answers at most one response timeout in all: a paused or unreachable
 * master makes the check DOWN within that time rather than holding up the health endpoint. The
 * details name each master's answer, the provider's mode and what its startup checks found.
 */
final class RedisBackendHealth implements BackendHealth {

  private final RedissonClient redisson;
  private final RedissonLockProvider provider;
  private final Duration timeout;

  RedisBackendHealth(RedissonClient redisson, RedissonLockProvider provider, Duration timeout) {
    this.redisson = redisson;
    this.provider = provider;
    this.timeout = timeout;
  }

  @Override
  public Status check() {
    long end = System.nanoTime() + timeout.toNanos();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backend", "redis");
    details.put("mode", provider.mode().name().toLowerCase(java.util.Locale.ROOT));
    if (!provider.startupFindings().isEmpty()) {
      details.put("startupFindings", provider.startupFindings());
    }
    List<Map.Entry<String, RedisNodeAsync>> masters;
    try {
      masters = masters();
    } catch (RuntimeException e) {
      details.put("error", "Could not list the Redis masters: " + e);
      return new Status(false, details);
    }
    List<CompletableFuture<Boolean>> pings = new ArrayList<>();
    for (Map.Entry<String, RedisNodeAsync> master : masters) {
      pings.add(ping(master.getValue()));
    }
    Map<String, String> answers = new LinkedHashMap<>();
    boolean up = !masters.isEmpty();
    for (int i = 0; i < masters.size(); i++) {
      String answer = answer(pings.get(i), end);
      answers.put(masters.get(i).getKey(), answer);
      up &= answer.equals("PONG");
    }
    details.put("masters", answers);
    return new Status(up, details);
  }

  /** The check's own deadline bounds the wait, whatever the client's timeouts and retries. */
  private static CompletableFuture<Boolean> ping(RedisNodeAsync node) {
    try {
      return node.pingAsync().toCompletableFuture();
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private String answer(CompletableFuture<Boolean> ping, long end) {
    try {
      return ping.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)
          ? "PONG"
          : "no PONG";
    } catch (TimeoutException e) {
      ping.cancel(false);
      return "no answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      return "failed: " + (e.getCause() != null ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The masters of the client's topology, by address: one, or each master of a cluster. */
  private List<Map.Entry<String, RedisNodeAsync>> masters() {
    Config config = redisson.getConfig();
    List<Map.Entry<String, RedisNodeAsync>> masters = new ArrayList<>();
    if (config.isClusterConfig()) {
      for (RedisClusterMaster master : redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
        masters.add(Map.entry(String.valueOf(master.getAddr()), master));
      }
      return masters;
    }
    RedisMaster master;
    if (config.isSentinelConfig()) {
      master = redisson.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster();
    } else if (config.isSingleConfig()) {
      master = redisson.getRedisNodes(RedisNodes.SINGLE).getInstance();
    } else {
      master = redisson.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster();
    }
    masters.add(Map.entry(String.valueOf(master.getAddr()), master));
    return masters;
  }
}
