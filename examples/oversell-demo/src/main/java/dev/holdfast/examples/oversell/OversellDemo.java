package dev.holdfast.examples.oversell;

import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.Console;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.h2.tools.Server;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The oversell demo: the same burst of concurrent multi-product orders against limited stock under
 * each strategy, then one table of what each sold. Exit codes: 0 when every strategy that must hold
 * did; {@link #OVERSOLD} (1) when one of them oversold or lost units; {@link #BAD_OPTIONS} (2) for
 * bad options, with a one-line error and the usage; {@link #RUNTIME_FAILURE} (3) when the run
 * itself failed (a server unreachable, a worker died), with a one-line error; {@link
 * #SMOKE_TEST_FAILED} (4) when one of them failed orders, accepted none, or let two orders of one
 * product in at once ({@code --check-exclusion}).
 */
@Command(
    name = "oversell-demo",
    mixinStandardHelpOptions = true,
    version = "oversell-demo (Holdfast examples) 0.1.0-SNAPSHOT",
    sortOptions = false,
    description = {
      "Sends one burst of concurrent multi-product orders against limited stock through each"
          + " strategy (no lock, a JVM lock per instance, a shared Holdfast lock, hand-written"
          + " RedissonMultiLock, Redis-held stock) and prints how many units each oversold.",
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every strategy that must hold did",
      "1:one of them oversold or lost units",
      "2:bad options",
      "3:the run failed (a server unreachable, a worker died)",
      "4:one of them failed orders, accepted none, or let two orders of a product in at once"
    })
public final class OversellDemo implements Callable<Integer> {

  /** Exit code when a strategy that must never oversell oversold, or lost track of units. */
  public static final int OVERSOLD = 1;

  /** Exit code for bad options (picocli's usage error code). */
  public static final int BAD_OPTIONS = CommandLine.ExitCode.USAGE;

  /** Exit code when the run itself failed: a server unreachable, a worker process died. */
  public static final int RUNTIME_FAILURE = 3;

  /**
   * Exit code when a strategy that must hold failed orders (lock timeouts, stale tokens, errors),
   * accepted none, or let two orders of one product between read and write at once: the demo is
   * also a smoke test, and such a row does not prove what it shows.
   */
  public static final int SMOKE_TEST_FAILED = 4;

  /** Service instances simulated in this JVM when neither option says otherwise. */
  static final int DEFAULT_INSTANCES = 4;

  /** Orders each strategy places, unmeasured, before the measured bursts. */
  static final int WARM_UP_ORDERS = 1000;

  @Spec private @Nullable CommandSpec spec;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description =
          "Redis to use, redis:// or rediss://, e.g. redis://127.0.0.1:6379 (default: a private"
              + " redis-server on a free port, when one is on the PATH)")
  private @Nullable String redis;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "Database, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres (default: embedded"
              + " H2). The demo creates its own tables and drops them.")
  private @Nullable String jdbcUrl;

  @Option(names = "--products", description = "Products (default: ${DEFAULT-VALUE})")
  private int products = 5;

  @Option(names = "--stock", description = "Units of each product (default: ${DEFAULT-VALUE})")
  private long stock = 100;

  @Option(names = "--orders", description = "Orders in the burst (default: ${DEFAULT-VALUE})")
  private int orders = 1000;

  @Option(names = "--threads", description = "Order threads in all (default: ${DEFAULT-VALUE})")
  private int threads = 16;

  @ArgGroup(exclusive = true)
  private @Nullable Scale scale;

  @Option(names = "--seed", description = "Random seed of the burst (default: ${DEFAULT-VALUE})")
  private long seed = 42;

  @Option(
      names = "--check-exclusion",
      description =
          "Count, in Redis, the orders between reading and writing each product's stock at once,"
              + " and fail (exit 4) if a lock strategy let in more than one. Slows every order.")
  private boolean checkExclusion;

  /** Where the service instances run: threads of this JVM, or processes of their own. */
  static final class Scale {
    @Option(
        names = "--instances",
        defaultValue = "" + DEFAULT_INSTANCES,
        description = "Service instances simulated in this JVM (default: ${DEFAULT-VALUE})")
    int instances = DEFAULT_INSTANCES;

    @Option(
        names = "--processes",
        paramLabel = "N",
        description = "Run the service instances as N (1 to 32) JVM processes instead")
    @Nullable Integer processes;
  }

  /** Creates the command with its default options; picocli sets the ones given. */
  public OversellDemo() {}

  /**
   * Runs the demo and exits with its exit code.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with the demo's error handling: one line for a failure, not a trace. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new OversellDemo());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("oversell-demo: " + e);
          return RUNTIME_FAILURE;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    Integer processes = scale == null ? null : scale.processes;
    int instances =
        processes != null ? processes : scale == null ? DEFAULT_INSTANCES : scale.instances;
    validate(processes, instances);
    PrintWriter out = requireSpec().commandLine().getOut();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Cleanup cleanup = new Cleanup();
    try {
      String redisAddress = redisAddress(cleanup);
      String adminUrl =
          jdbcUrl == null ? "jdbc:h2:mem:oversell-" + runId + ";DB_CLOSE_DELAY=-1" : jdbcUrl;
      String instanceUrl = adminUrl;
      String password = null;
      if (jdbcUrl == null) {
        // An in-memory H2 with a random password, created here and kept open for the run; worker
        // processes reach it through a TCP server on loopback, which opens no new databases.
        String h2Password = UUID.randomUUID().toString();
        password = h2Password;
        cleanup.add(DriverManager.getConnection(adminUrl, RunSettings.H2_USER, h2Password));
        if (processes != null) {
          Server h2 = Server.createTcpServer("-tcpPort", "0").start();
          cleanup.add(h2::stop);
          instanceUrl = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:oversell-" + runId;
        }
      }
      RunSettings settings =
          new RunSettings(
              instanceUrl,
              password,
              "oversell_" + runId + "_",
              "oversell-" + runId + ":",
              products,
              stock,
              orders,
              seed,
              checkExclusion && redisAddress != null);
      List<Strategy> strategies =
          Arrays.stream(Strategy.values())
              .filter(s -> redisAddress != null || !s.needsRedis())
              .toList();
      out.printf(
          Locale.ROOT,
          "%d orders (seed %d) for %d products x %d units, %d threads on %d service %s%n"
              + "database: %s; Redis: %s%n"
              + "Each strategy first places %d of the orders unmeasured, to warm up.%n",
          orders,
          seed,
          products,
          stock,
          threads,
          instances,
          processes != null ? "processes" : "instances in this JVM",
          jdbcUrl == null ? "embedded H2" : jdbcUrl,
          redisAddress == null ? "none" : redisAddress,
          Math.min(WARM_UP_ORDERS, orders));
      out.flush();
      DemoRun run = new DemoRun(settings, redisAddress, strategies, WARM_UP_ORDERS);
      List<StrategyResult> results;
      try (DemoRun.Instances running =
          processes != null
              ? WorkerFleet.start(settings, redisAddress, processes, threads)
              : run.inProcess(instances, threads, order -> {})) {
        results = run.run(adminUrl, running, this::progress);
      }
      out.println();
      out.print(ResultTable.format(results));
      out.print(notes(results, instances, redisAddress == null));
      out.flush();
      return exitCode(results, instances);
    } catch (Exception | Error e) {
      cleanup.closeAllAfter(e);
      throw e;
    } finally {
      cleanup.closeAll();
    }
  }

  /**
   * {@link #OVERSOLD} when a strategy that must never oversell with this many instances sold more
   * than the stock, or lost track of units (sold and left do not add up); else {@link
   * #SMOKE_TEST_FAILED} when such a strategy failed orders, accepted none, or let two orders of one
   * product in at once; else 0.
   */
  static int exitCode(List<StrategyResult> results, int instances) {
    List<StrategyResult> mustHold =
        results.stream().filter(r -> r.strategy().mustNotOversell(instances)).toList();
    if (mustHold.stream().anyMatch(r -> r.oversold() > 0 || !r.balanced())) {
      return OVERSOLD;
    }
    if (mustHold.stream()
        .anyMatch(
            r -> r.tally().failed() > 0 || r.tally().accepted() == 0 || r.mostInFlight() > 1)) {
      return SMOKE_TEST_FAILED;
    }
    return 0;
  }

  private void validate(@Nullable Integer processes, int instances) {
    check(products >= 1 && products <= 10_000, "--products must be 1 to 10000, was " + products);
    check(stock >= 1 && stock <= 1_000_000_000L, "--stock must be 1 to 1000000000, was " + stock);
    check(orders >= 1 && orders <= 1_000_000, "--orders must be 1 to 1000000, was " + orders);
    check(threads >= 1 && threads <= 1_000, "--threads must be 1 to 1000, was " + threads);
    if (processes != null) {
      check(processes >= 1 && processes <= 32, "--processes must be 1 to 32, was " + processes);
    } else {
      check(instances >= 1 && instances <= 64, "--instances must be 1 to 64, was " + instances);
    }
    check(
        instances <= threads,
        "--threads must be at least the "
            + instances
            + " service instances (each needs a thread), was "
            + threads);
    check(
        redis == null || redis.startsWith("redis://") || redis.startsWith("rediss://"),
        "--redis must start with redis:// or rediss://, was " + redis);
    check(
        jdbcUrl == null || jdbcUrl.startsWith("jdbc:"),
        "--jdbc-url must start with jdbc:, was " + jdbcUrl);
  }

  private void check(boolean valid, String message) {
    if (!valid) {
      throw new ParameterException(requireSpec().commandLine(), message);
    }
  }

  private CommandSpec requireSpec() {
    if (spec == null) {
      throw new IllegalStateException("picocli injects the spec before call()");
    }
    return spec;
  }

  /** The given Redis, or a private redis-server when one is on the PATH, or none. */
  private @Nullable String redisAddress(Cleanup cleanup) {
    if (redis != null) {
      return redis;
    }
    if (findOnPath("redis-server").isEmpty()) {
      return null;
    }
    RedisServer server = RedisServer.start();
    cleanup.add(server);
    return server.address();
  }

  /**
   * Looked up here rather than left to {@link RedisServer#start}, which without a local
   * redis-server tries Docker through Testcontainers: the demo shows the database rows instead and
   * says how to add the Redis ones.
   */
  static Optional<Path> findOnPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, executable))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private DemoRun.Progress progress(Strategy strategy) {
    if (!onTerminal()) {
      // progressbar writes ANSI escapes even into pipes and files.
      return DemoRun.QUIET;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(String.format(Locale.ROOT, "%-32s", strategy.label()))
            .setInitialMax(orders)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .hideEta()
            .build();
    return new DemoRun.Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /**
   * Whether standard output is a terminal. Before JDK 22 a console exists only then; from JDK 22 on
   * one always exists, and its {@code isTerminal()}, absent from JDK 17, tells.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() where it exists
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException beforeJdk22) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  static String notes(List<StrategyResult> results, int instances, boolean noRedis) {
    StringBuilder notes = new StringBuilder("\n");
    for (StrategyResult result : results) {
      if (result.oversold() > 0) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: sold %d units beyond the stock: concurrent orders read the same stock and"
                    + " sold it twice.%n",
                result.label(),
                result.oversold()));
      }
      long lost =
          result.initialStock() * result.products() - result.unitsSold() - result.unitsLeft();
      if (!result.balanced() && result.oversold() == 0) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: sold %d + left %d = %d units of %d: %s%n",
                result.label(),
                result.unitsSold(),
                result.unitsLeft(),
                result.unitsSold() + result.unitsLeft(),
                result.initialStock() * result.products(),
                lost > 0
                    ? lost + " units were taken that no recorded order sold (lost)."
                    : "the stock and the recorded orders disagree."));
      }
      if (result.tally().failed() > 0) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: failed orders by cause: %s%n",
                result.label(),
                result.tally().failures()));
      }
      if (result.mostInFlight() > 1) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: up to %d orders of one product were between reading and writing its stock at"
                    + " once.%n",
                result.label(),
                result.mostInFlight()));
      }
    }
    ratio(results, Strategy.HOLDFAST, Strategy.MULTI_LOCK)
        .ifPresent(ratio -> notes.append(ratio).append('\n'));
    if (instances > 1) {
      notes.append(
          "A JVM lock excludes only within its instance: with "
              + instances
              + " instances it is expected to oversell, and the JVM provider's fencing tokens"
              + " order nothing across instances, so its writes are unfenced.\n");
    }
    if (noRedis) {
      notes.append(
          "No Redis rows: no redis-server on the PATH. Install Redis (Debian/Ubuntu: apt-get"
              + " install redis-server) or pass --redis redis://host:port to add the Holdfast,"
              + " RedissonMultiLock and Redis-held stock rows.\n");
    }
    return notes.toString();
  }

  /**
   * The median orders/s of {@code numerator}'s runs over {@code denominator}'s, as a sentence; none
   * when either is missing or any of their runs failed orders, since a row that failed orders did
   * less work and its rate compares nothing.
   */
  static Optional<String> ratio(
      List<StrategyResult> results, Strategy numerator, Strategy denominator) {
    List<StrategyResult> top = results.stream().filter(r -> r.strategy() == numerator).toList();
    List<StrategyResult> bottom =
        results.stream().filter(r -> r.strategy() == denominator).toList();
    if (top.isEmpty()
        || bottom.isEmpty()
        || Stream.concat(top.stream(), bottom.stream()).anyMatch(r -> r.tally().failed() > 0)) {
      return Optional.empty();
    }
    double ratio = median(top) / median(bottom);
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s: %.2fx the orders/s of %s (median of %d and %d runs of the same orders, taken in"
                + " the order of the table).",
            numerator.label(),
            ratio,
            denominator.label(),
            top.size(),
            bottom.size()));
  }

  private static double median(List<StrategyResult> runs) {
    double[] rates = runs.stream().mapToDouble(StrategyResult::ordersPerSecond).sorted().toArray();
    int middle = rates.length / 2;
    return rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
  }
}
