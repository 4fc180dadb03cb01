package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockOptions;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.EvaluationContext;

/**
 * A {@link DistributedLock} method, prepared at startup: its parsed key expressions, prefix and
 * resolved options. Thread-safe.
 */
final class LockedMethod {

  private final String description;
  private final String prefix;
  private final KeyExpression[] expressions;
  private final MethodParameters parameters;
  private final EvaluationContext sharedContext;
  private final LockOptions options;
  private final boolean needsContext;

  LockedMethod(
      String description,
      String prefix,
      KeyExpression[] expressions,
      MethodParameters parameters,
      EvaluationContext sharedContext,
      LockOptions options) {
    this.description = description;
    this.prefix = prefix;
    this.expressions = expressions;
    this.parameters = parameters;
    this.sharedContext = sharedContext;
    this.options = options;
    boolean needsContext = false;
    for (KeyExpression expression : expressions) {
      needsContext |= expression.needsContext();
    }
    this.needsContext = needsContext;
  }

  /** The method as messages name it, such as {@code OrderService.reserve(List)}. */
  String description() {
    return description;
  }

  LockOptions options() {
    return options;
  }

  /**
   * Evaluates every key expression for one call: the keys in the expressions' order, with the
   * prefix, repeats kept (the template de-duplicates and orders them).
   *
   * @throws IllegalArgumentException naming the method, the expression and the value, if an
   *     expression fails or yields null, a blank value, a nested collection, or if no expression
   *     yields a key
   */
  List<String> keys(@Nullable Object[] args) {
    EvaluationContext context =
        needsContext ? new ArgumentsContext(sharedContext, parameters, args) : null;
    if (expressions.length == 1) {
      KeyExpression expression = expressions[0];
      Object value = evaluate(expression, args, context);
      if (!isMany(value)) {
        return List.of(key(expression, value, -1, args));
      }
    }
    List<String> keys = new ArrayList<>();
    for (KeyExpression expression : expressions) {
      add(expression, evaluate(expression, args, context), args, keys);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          description
              + ": the key expressions "
              + textsOf(expressions)
              + " gave no key"
              + with(args));
    }
    return keys;
  }

  private @Nullable Object evaluate(
      KeyExpression expression, @Nullable Object[] args, @Nullable EvaluationContext context) {
    try {
      return expression.value(args, context);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          description
              + ": key expression "
              + Values.quote(expression.text())
              + " failed"
              + with(args)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isMany(@Nullable Object value) {
    return value instanceof Collection<?> || (value != null && value.getClass().isArray());
  }

  private void add(
      KeyExpression expression,
      @Nullable Object value,
      @Nullable Object[] args,
      List<String> keys) {
    if (value instanceof Collection<?> values) {
      int index = 0;
      for (Object element : values) {
        keys.add(key(expression, element, index++, args));
      }
    } else if (value != null && value.getClass().isArray()) {
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        keys.add(key(expression, Array.get(value, i), i, args));
      }
    } else {
      keys.add(key(expression, value, -1, args));
    }
  }

  /** One value as a key; {@code index} is its position in the expression's collection, or -1. */
  private String key(
      KeyExpression expression, @Nullable Object value, int index, @Nullable Object[] args) {
    String at = index < 0 ? "" : " at index " + index;
    String problem;
    if (value == null) {
      problem = "gave null" + at;
    } else if (isMany(value)) {
      problem = "gave a nested collection " + Values.quote(value) + at + ", which is not a key";
    } else {
      String text = value.toString();
      if (!text.isBlank()) {
        return prefix.isEmpty() ? text : prefix.concat(text);
      }
      problem = "gave a blank key " + Values.quote(text) + at;
    }
    throw new IllegalArgumentException(
        description
            + ": key expression "
            + Values.quote(expression.text())
            + " "
            + problem
            + with(args));
  }

  private String with(@Nullable Object[] args) {
    return " (arguments " + parameters.describe(args) + ")";
  }

  private static String textsOf(KeyExpression[] expressions) {
    List<String> texts = new ArrayList<>(expressions.length);
    for (KeyExpression expression : expressions) {
      texts.add(Values.quote(expression.text()));
    }
    return texts.toString();
  }

  @Override
  public String toString() {
    return "@DistributedLock " + description + " " + textsOf(expressions) + " " + options;
  }
}
