package dev.holdfast.examples.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.openjdk.jmh.results.RunResult;

/**
 * Draws a run's results as PNG files, headless, with JFreeChart. What is drawn comes from the
 * results themselves, so a new workload appears without changes here:
 *
 * <ul>
 *   <li>every benchmark class with a numeric JMH {@code @Param} measured at two or more values gets
 *       {@code <Class>-ops-by-<param>.png}: ops/s over the parameter, one line per method (per
 *       contender), e.g. keys per call;
 *   <li>every class in the thread sweep gets {@code <Class>-ops-by-threads.png}: ops/s over the
 *       number of threads, one line per method;
 *   <li>the report's rows get {@code latency-<backend>.png}: p50, p99 and p99.9 of Holdfast and of
 *       its peer per workload, on a logarithmic axis.
 * </ul>
 */
final class Charts {

  private static final String BENCHMARK_PACKAGE = Charts.class.getPackageName();

  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  /** The Redis address is a parameter of every Redis benchmark, not a dimension of the workload. */
  private static final String ADDRESS_PARAM = RedisStates.ADDRESS_PARAM;

  /** Paired colours: a Holdfast series and its peer's differ in hue, percentiles in shade. */
  private static final Color[] HOLDFAST_SHADES = {
    new Color(0x9ecae1), new Color(0x3182bd), new Color(0x08519c)
  };

  private static final Color[] PEER_SHADES = {
    new Color(0xfdae6b), new Color(0xe6550d), new Color(0xa63603)
  };

  private Charts() {}

  /**
   * Draws every chart the results allow into {@code directory}.
   *
   * @param directory created if missing
   * @param report the run's table, for the latency charts
   * @param throughput the throughput pass's results, for the parameter charts
   * @param threadSweep the thread sweep's results, for the thread charts
   * @return the files written, in the order drawn
   */
  static List<Path> render(
      Path directory,
      Report report,
      Collection<RunResult> throughput,
      Collection<RunResult> threadSweep) {
    System.setProperty("java.awt.headless", "true");
    try {
      Files.createDirectories(directory);
      List<Path> written = new ArrayList<>();
      for (Map.Entry<String, Map<String, XYSeries>> chart : byParameter(throughput).entrySet()) {
        String[] classAndParam = chart.getKey().split(" ", 2);
        written.add(
            lineChart(
                directory.resolve(classAndParam[0] + "-ops-by-" + classAndParam[1] + ".png"),
                classAndParam[0] + ": ops/s by " + classAndParam[1],
                classAndParam[1],
                chart.getValue().values()));
      }
      for (Map.Entry<String, Map<String, XYSeries>> chart : byThreads(threadSweep).entrySet()) {
        written.add(
            lineChart(
                directory.resolve(chart.getKey() + "-ops-by-threads.png"),
                chart.getKey() + ": ops/s by threads",
                "threads",
                chart.getValue().values()));
      }
      Map<String, List<Comparison>> byBackend = new TreeMap<>();
      for (Comparison row : report.rows()) {
        if (!Double.isNaN(report.p99Ratio(row))) {
          // The compat mode's rows go with the Redis backend's: one chart per store.
          int comma = row.backend().indexOf(',');
          String store = comma < 0 ? row.backend() : row.backend().substring(0, comma);
          byBackend.computeIfAbsent(slug(store), b -> new ArrayList<>()).add(row);
        }
      }
      for (Map.Entry<String, List<Comparison>> backend : byBackend.entrySet()) {
        written.add(
            latencyChart(
                directory.resolve("latency-" + backend.getKey() + ".png"),
                "Latency percentiles, " + backend.getKey() + " (µs, log scale)",
                report,
                backend.getValue()));
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write charts to " + directory, e);
    }
  }

  /**
   * Throughput results grouped by {@code "Class param"} and then by method, for each numeric
   * parameter that takes two or more values in a class.
   */
  private static Map<String, Map<String, XYSeries>> byParameter(Collection<RunResult> results) {
    Map<String, Map<String, XYSeries>> charts = new TreeMap<>();
    for (RunResult result : results) {
      for (String param : result.getParams().getParamsKeys()) {
        OptionalDouble x = number(result.getParams().getParam(param));
        if (!param.equals(ADDRESS_PARAM) && x.isPresent()) {
          String chart = className(result) + " " + param;
          series(charts, chart, methodName(result)).add(x.getAsDouble(), score(result));
        }
      }
    }
    charts
        .values()
        .removeIf(series -> series.values().stream().allMatch(s -> s.getItemCount() < 2));
    return charts;
  }

  /** Thread-sweep results grouped by class and then by method. */
  private static Map<String, Map<String, XYSeries>> byThreads(Collection<RunResult> results) {
    Map<String, Map<String, XYSeries>> charts = new TreeMap<>();
    for (RunResult result : results) {
      series(charts, className(result), methodName(result))
          .add(result.getParams().getThreads(), score(result));
    }
    return charts;
  }

  private static XYSeries series(
      Map<String, Map<String, XYSeries>> charts, String chart, String method) {
    return charts
        .computeIfAbsent(chart, c -> new TreeMap<>())
        .computeIfAbsent(method, m -> new XYSeries(m, true, true));
  }

  private static Path lineChart(Path file, String title, String xLabel, Collection<XYSeries> lines)
      throws IOException {
    XYSeriesCollection dataset = new XYSeriesCollection();
    lines.forEach(dataset::addSeries);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, "ops/s", dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(
        axis(xLabel, 2, dataset.getDomainLowerBound(false), dataset.getDomainUpperBound(false)));
    plot.setRangeAxis(
        axis("ops/s", 10, dataset.getRangeLowerBound(false), dataset.getRangeUpperBound(false)));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }

  /**
   * A logarithmic axis with a tick at each power of {@code base} where the values span more than a
   * factor of 8, else a linear one from zero.
   */
  private static ValueAxis axis(String label, int base, double lowest, double highest) {
    if (lowest > 0 && highest / lowest > 8) {
      return logAxis(label, base, lowest, highest);
    }
    NumberAxis linear = new NumberAxis(label);
    linear.setAutoRangeIncludesZero(true);
    linear.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    return linear;
  }

  private static LogAxis logAxis(String label, int base, double lowest, double highest) {
    LogAxis log = new LogAxis(label);
    log.setBase(base);
    log.setTickUnit(new NumberTickUnit(1)); // one tick per power of the base
    log.setMinorTickMarksVisible(true);
    // Up to three significant digits, however small: in-memory latencies are tens of nanoseconds.
    log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    log.setRange(lowest / 1.5, highest * 1.5);
    return log;
  }

  private static Path latencyChart(Path file, String title, Report report, List<Comparison> rows)
      throws IOException {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    List<String> percentiles = List.of("p50", "p99", "p99.9");
    List<ToDoubleFunction<Measurement>> figures =
        List.of(Measurement::p50Micros, Measurement::p99Micros, Measurement::p999Micros);
    for (int side = 0; side < 2; side++) {
      for (int p = 0; p < percentiles.size(); p++) {
        String series = (side == 0 ? "Holdfast " : "peer ") + percentiles.get(p);
        for (Comparison row : rows) {
          Measurement measured = report.of(side == 0 ? row.holdfast() : row.peer());
          dataset.addValue(figures.get(p).applyAsDouble(measured), series, row.workload());
        }
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, null, "µs", dataset, PlotOrientation.HORIZONTAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (Object series : dataset.getRowKeys()) {
      for (Object workload : dataset.getColumnKeys()) {
        Number value = dataset.getValue((Comparable<?>) series, (Comparable<?>) workload);
        if (value != null && value.doubleValue() > 0) {
          lowest = Math.min(lowest, value.doubleValue());
          highest = Math.max(highest, value.doubleValue());
        }
      }
    }
    plot.setRangeAxis(logAxis("µs (log scale)", 10, lowest, highest));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    for (int p = 0; p < percentiles.size(); p++) {
      renderer.setSeriesPaint(p, HOLDFAST_SHADES[p]);
      renderer.setSeriesPaint(percentiles.size() + p, PEER_SHADES[p]);
    }
    int height = Math.max(HEIGHT, 140 + rows.size() * 110);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
    return file;
  }

  private static double score(RunResult result) {
    return result.getPrimaryResult().getScore();
  }

  private static String className(RunResult result) {
    String benchmark = result.getParams().getBenchmark();
    String classAndMethod = benchmark.substring(BENCHMARK_PACKAGE.length() + 1);
    return classAndMethod.substring(0, classAndMethod.indexOf('.'));
  }

  private static String methodName(RunResult result) {
    String benchmark = result.getParams().getBenchmark();
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  private static OptionalDouble number(String value) {
    try {
      return OptionalDouble.of(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** {@code "in-memory"} → {@code "in-memory"}, {@code "Redis"} → {@code "redis"}. */
  private static String slug(String backend) {
    return backend.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
