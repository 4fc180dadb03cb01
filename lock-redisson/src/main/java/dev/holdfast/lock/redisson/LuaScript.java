package dev.holdfast.lock.redisson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;

/**
 * One of the backend's Lua scripts, run by its SHA-1 digest. Redis answers {@code NOSCRIPT} when it
 * does not have the script (first use, restart, failover to a replica that never saw it); the
 * script is then loaded on the key's node and run again, once.
 */
final class LuaScript {

  static final LuaScript ACQUIRE = fromResource("acquire.lua");
  static final LuaScript RELEASE = fromResource("release.lua");
  static final LuaScript HOLDING = fromResource("holding.lua");

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1Hex(source);
  }

  /**
   * Runs the script on the node of {@code keys.get(0)}.
   *
   * @param redis a script executor with a string codec and no retries of its own
   * @return the script's array reply, integers as {@link Long}s
   */
  CompletableFuture<List<Object>> run(RScript redis, List<Object> keys, Object... args) {
    String routingKey = (String) keys.get(0);
    return withScriptLoaded(redis, routingKey, () -> evalSha(redis, routingKey, keys, args));
  }

  /**
   * Runs the script on the node of {@code keys.get(0)}, then {@code WAIT} on the same connection:
   * one batch, which Redisson sends to one node on one connection, {@code WAIT} last. Redis counts
   * the replicas that acknowledged the calling connection's last write, so a {@code WAIT} on any
   * other connection would count nothing of ours.
   *
   * @param redis a script executor with a string codec, to load the script on {@code NOSCRIPT}
   * @param redisson the client that sends the batch, without retries
   * @return the script's array reply and how many replicas acknowledged it in time
   */
  CompletableFuture<ReplicaAcknowledgement.Acknowledged<List<Object>>> runAcknowledged(
      RScript redis,
      RedissonClient redisson,
      ReplicaAcknowledgement acknowledgement,
      List<Object> keys,
      Object... args) {
    String routingKey = (String) keys.get(0);
    return withScriptLoaded(
        redis,
        routingKey,
        () -> evalShaThenWait(redisson, acknowledgement, routingKey, keys, args));
  }

  /** Sends the script; on {@code NOSCRIPT} loads it on the key's node and sends it again, once. */
  private <R> CompletableFuture<R> withScriptLoaded(
      RScript redis, String routingKey, Supplier<CompletableFuture<R>> send) {
    return send.get()
        .exceptionallyCompose(
            failure ->
                isNoScript(failure)
                    ? redis
                        .scriptLoadAsync(routingKey, source)
                        .toCompletableFuture()
                        .thenCompose(loaded -> send.get())
                    : CompletableFuture.failedFuture(failure));
  }

  /** Sends the script; a client that refuses to send it (shut down, say) fails the future. */
  private <R> CompletableFuture<R> evalSha(
      RScript redis, String routingKey, List<Object> keys, Object... args) {
    try {
      return redis
          .<R>evalShaAsync(
              routingKey,
              RScript.Mode.READ_WRITE,
              sha,
              RedissonCompatibility.listReply(),
              keys,
              args)
          .toCompletableFuture();
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private CompletableFuture<ReplicaAcknowledgement.Acknowledged<List<Object>>> evalShaThenWait(
      RedissonClient redisson,
      ReplicaAcknowledgement acknowledgement,
      String routingKey,
      List<Object> keys,
      Object... args) {
    try {
      // Redisson appends "WAIT replicas timeout" to the batch of each node it sends to, on the
      // batch's connection; BatchResult.getSyncedSlaves() is its reply.
      RBatch batch =
          redisson.createBatch(
              BatchOptions.defaults()
                  .sync(acknowledgement.replicas(), acknowledgement.timeout())
                  .retryAttempts(0));
      CompletableFuture<List<Object>> reply =
          batch
              .getScript(StringCodec.INSTANCE)
              .<List<Object>>evalShaAsync(
                  routingKey,
                  RScript.Mode.READ_WRITE,
                  sha,
                  RedissonCompatibility.listReply(),
                  keys,
                  args)
              .toCompletableFuture();
      return batch
          .executeAsync()
          .toCompletableFuture()
          .thenCombine(
              reply,
              (result, scriptReply) ->
                  new ReplicaAcknowledgement.Acknowledged<>(scriptReply, result.getSyncedSlaves()));
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private static boolean isNoScript(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RedisNoScriptException
          || (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT"))) {
        return true;
      }
    }
    return false;
  }

  private static LuaScript fromResource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + name + " is missing from the jar");
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Lua script " + name, e);
    }
  }

  private static String sha1Hex(String source) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK provides SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
