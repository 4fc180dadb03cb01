package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockOptions;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
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
    if (expressions.length == 1 && !expressions[0].isProjection()) {
      KeyExpression expression = expressions[0];
      Object value = evaluate(expression, args, context);
      if (!isMany(value)) {
        return List.of(key(expression, value, -1, args));
      }
    }
    List<String> keys = new ArrayList<>();
    for (KeyExpression expression : expressions) {
      if (expression.isProjection()) {
        project(expression, args, Objects.requireNonNull(context, "context"), keys);
      } else {
        add(expression, evaluate(expression, args, context), args, keys);
      }
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
      throw failed(expression, "", args, e);
    }
  }

  /**
   * Adds the keys of a projection: its element expression on each element of its source, or, for a
   * source that is no collection or array, the whole expression's value as SpEL makes it.
   */
  private void project(
      KeyExpression expression,
      @Nullable Object[] args,
      EvaluationContext context,
      List<String> keys) {
    Object source;
    try {
      source = expression.source(args, context);
    } catch (RuntimeException e) {
      throw failed(expression, "", args, e);
    }
    if (source instanceof List<?> list && source instanceof RandomAccess) {
      for (int i = 0; i < list.size(); i++) {
        keys.add(key(expression, element(expression, list.get(i), i, args, context), i, args));
      }
    } else if (source instanceof Collection<?> values) {
      int index = 0;
      for (Object each : values) {
        keys.add(key(expression, element(expression, each, index, args, context), index, args));
        index++;
      }
    } else if (source != null && source.getClass().isArray()) {
      int length = Array.getLength(source);
      for (int i = 0; i < length; i++) {
        Object each = Array.get(source, i);
        keys.add(key(expression, element(expression, each, i, args, context), i, args));
      }
    } else {
      add(expression, evaluate(expression, args, context), args, keys);
    }
  }

  private @Nullable Object element(
      KeyExpression expression,
      @Nullable Object each,
      int index,
      @Nullable Object[] args,
      EvaluationContext context) {
    try {
      return expression.element(each, context);
    } catch (RuntimeException e) {
      throw failed(expression, " at index " + index, args, e);
    }
  }

  private IllegalArgumentException failed(
      KeyExpression expression, String at, @Nullable Object[] args, RuntimeException cause) {
    return new IllegalArgumentException(
        description
            + ": key expression "
            + Values.quote(expression.text())
            + " failed"
            + at
            + with(args)
            + ": "
            + cause.getMessage(),
        cause);
  }

  private static boolean isMany(@Nullable Object value) {
    return value instanceof Collection<?> || (value != null && value.getClass().isArray());
  }

  private void add(
      KeyExpression expression,
      @Nullable Object value,
      @Nullable Object[] args,
      List<String> keys) {
    if (value instanceof List<?> list && value instanceof RandomAccess) {
      for (int i = 0; i < list.size(); i++) {
        keys.add(key(expression, list.get(i), i, args));
      }
    } else if (value instanceof Collection<?> values) {
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
    String problem;
    if (value == null) {
      problem = "gave null" + at(index);
    } else if (isMany(value)) {
      problem =
          "gave a nested collection " + Values.quote(value) + at(index) + ", which is not a key";
    } else {
      String text = value.toString();
      if (!text.isBlank()) {
        return prefix.isEmpty() ? text : prefix.concat(text);
      }
      problem = "gave a blank key " + Values.quote(text) + at(index);
    }
    throw new IllegalArgumentException(
        description
            + ": key expression "
            + Values.quote(expression.text())
            + " "
            + problem
            + with(args));
  }

  /** Where in its collection a value that is no key stood; built only for the message. */
  private static String at(int index) {
    return index < 0 ? "" : " at index " + index;
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
