package dev.holdfast.lock;

import java.util.List;

/**
 * A key pattern in which {@code *} stands for any run of characters, including none; every other
 * character stands for itself. {@code lock:product:*} is a prefix, {@code *:hot} a suffix.
 */
final class KeyPattern {

  private final String pattern;
  private final List<String> literals;
  private final boolean anchoredStart;
  private final boolean anchoredEnd;
  private final int specificity;

  private KeyPattern(String pattern) {
    this.pattern = pattern;
    this.literals = List.of(pattern.split("\\*", -1));
    this.anchoredStart = !pattern.startsWith("*");
    this.anchoredEnd = !pattern.endsWith("*");
    this.specificity = pattern.length() - (literals.size() - 1);
  }

  static KeyPattern compile(String pattern, String name) {
    Arguments.requireKey(pattern, name);
    return new KeyPattern(pattern);
  }

  /** How many literal characters the pattern has: where several match, the most specific wins. */
  int specificity() {
    return specificity;
  }

  boolean matches(String key) {
    if (literals.size() == 1) {
      return key.equals(pattern);
    }
    String first = literals.get(0);
    String last = literals.get(literals.size() - 1);
    if (key.length() < first.length() + last.length()
        || (anchoredStart && !key.startsWith(first))
        || (anchoredEnd && !key.endsWith(last))) {
      return false;
    }
    int from = first.length();
    int until = key.length() - last.length();
    for (int i = 1; i < literals.size() - 1; i++) {
      String literal = literals.get(i);
      int at = key.indexOf(literal, from);
      if (at < 0 || at + literal.length() > until) {
        return false;
      }
      from = at + literal.length();
    }
    return true;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
