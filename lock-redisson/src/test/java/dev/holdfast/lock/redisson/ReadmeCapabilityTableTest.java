package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.spi.LockCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's capability table says what each provider's {@code capabilities()} declares: in each
 * backend's column, a capability's cell starts with "yes" where the provider declares it and with
 * "no" where it does not. The {@code ATOMIC} column is checked on one Redis node; on Cluster that
 * provider does not declare {@link LockCapability#ATOMIC_MULTI_KEY}, as the cell says in words and
 * {@code RedisClusterTest} checks.
 */
final class ReadmeCapabilityTableTest {

  private static final String IN_MEMORY = "`InMemoryLockProvider`";

  @Test
  void everyBackendColumnSaysYesOrNoForEveryCapability() throws IOException {
    Map<String, Map<LockCapability, String>> table = capabilityTable();

    assertThat(table).containsKeys(IN_MEMORY, redissonColumn(Mode.ATOMIC));
    assertThat(table)
        .allSatisfy(
            (column, cells) -> {
              assertThat(cells).as(column).containsOnlyKeys(LockCapability.values());
              assertThat(cells.values()).as(column).allMatch(cell -> cell.matches("(yes|no)\\b.*"));
            });
  }

  @Test
  void theInMemoryColumnSaysWhatInMemoryLockProviderDeclares() throws IOException {
    Set<LockCapability> declared = InMemoryLockProvider.create().capabilities();

    Set<LockCapability> shown = saidYesTo(capabilityTable().get(IN_MEMORY));

    assertThat(shown).isEqualTo(declared);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachRedissonColumnSaysWhatItsModeDeclaresOnOneNode(Mode mode) throws IOException {
    Set<LockCapability> declared;
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client()).mode(mode).build()) {
      declared = provider.capabilities();
    }

    Set<LockCapability> shown = saidYesTo(capabilityTable().get(redissonColumn(mode)));

    assertThat(shown).isEqualTo(declared);
  }

  private static String redissonColumn(Mode mode) {
    return "`RedissonLockProvider` `" + mode + "`";
  }

  private static Set<LockCapability> saidYesTo(Map<LockCapability, String> column) {
    assertThat(column).as("the README's column").isNotNull();
    Set<LockCapability> yes = EnumSet.noneOf(LockCapability.class);
    column.forEach(
        (capability, cell) -> {
          if (cell.startsWith("yes")) {
            yes.add(capability);
          }
        });
    return yes;
  }

  /**
   * The README's table whose header starts with "capability": per backend column, the cell of each
   * row named after a {@link LockCapability}. Other rows are left out.
   */
  private static Map<String, Map<LockCapability, String>> capabilityTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int header = 0;
    while (header < lines.size() && !lines.get(header).startsWith("| capability |")) {
      header++;
    }
    assertThat(header).as("the README's capability table").isLessThan(lines.size());
    List<String> columns = cells(lines.get(header));
    Map<String, Map<LockCapability, String>> table = new LinkedHashMap<>();
    for (String column : columns.subList(1, columns.size())) {
      table.put(column, new EnumMap<>(LockCapability.class));
    }
    for (int row = header + 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
      List<String> cells = cells(lines.get(row));
      for (LockCapability capability : LockCapability.values()) {
        if (cells.get(0).equals("`" + capability + "`")) {
          for (int c = 1; c < columns.size(); c++) {
            table.get(columns.get(c)).put(capability, cells.get(c));
          }
        }
      }
    }
    return table;
  }

  private static List<String> cells(String row) {
    return Arrays.stream(row.substring(1, row.lastIndexOf('|')).split("\\|"))
        .map(String::strip)
        .toList();
  }
}
