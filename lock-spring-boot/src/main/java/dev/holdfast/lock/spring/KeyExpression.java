package dev.holdfast.lock.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Projection;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;

/**
 * One entry of {@link DistributedLock#keys()}, parsed, in the cheapest form that keeps SpEL's
 * meaning:
 *
 * <ul>
 *   <li>a bare parameter reference such as {@code #productId}, the most common key, is read
 *       straight from the arguments;
 *   <li>a projection such as {@code #lines.![productId]} evaluates its source and then its element
 *       expression once per element, with the element as root object: SpEL cannot compile a
 *       projection, but it can compile both parts, and it does once they have run often enough;
 *   <li>anything else is one SpEL expression, compiled where SpEL can compile it.
 * </ul>
 */
final class KeyExpression {

  private static final Pattern BARE_VARIABLE = Pattern.compile("#[A-Za-z_$][A-Za-z0-9_$]*");

  private final String text;

  /** The argument a bare parameter reference reads, else -1. */
  private final int argumentIndex;

  /** The whole expression; null for a bare parameter reference. */
  private final @Nullable Expression expression;

  /** A projection's source; null unless this is a projection evaluated in parts. */
  private final @Nullable KeyExpression source;

  /** A projection's element expression, evaluated on each element; null unless a projection. */
  private final @Nullable Expression element;

  private KeyExpression(
      String text,
      int argumentIndex,
      @Nullable Expression expression,
      @Nullable KeyExpression source,
      @Nullable Expression element) {
    this.text = text;
    this.argumentIndex = argumentIndex;
    this.expression = expression;
    this.source = source;
    this.element = element;
  }

  /**
   * Parses {@code text} and checks that every variable it reads is a parameter.
   *
   * @throws IllegalArgumentException saying what is wrong, without naming the method
   */
  static KeyExpression parse(String text, MethodParameters parameters, ExpressionParser parser) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "a key expression must not be blank, was " + Values.quote(text));
    }
    if (BARE_VARIABLE.matcher(trimmed).matches()) {
      int index = parameters.indexOf(trimmed.substring(1));
      if (index >= 0) {
        return new KeyExpression(text, index, null, null, null);
      }
    }
    Expression expression;
    try {
      expression = parser.parseExpression(trimmed);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "key expression " + Values.quote(text) + " does not parse: " + e.getMessage(), e);
    }
    if (!(expression instanceof SpelExpression spel)) {
      return new KeyExpression(text, -1, expression, null, null);
    }
    List<String> unknown = new ArrayList<>();
    collectUnknownVariables(spel.getAST(), parameters, unknown);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "key expression "
              + Values.quote(text)
              + " reads "
              + String.join(", ", unknown)
              + ", which "
              + (unknown.size() == 1 ? "is not a parameter" : "are not parameters")
              + "; the parameters are "
              + parameters.describe());
    }
    return inParts(text, trimmed, spel, parameters, parser);
  }

  /**
   * Splits a projection that ends the expression, such as {@code #order.lines.![productId]}, into
   * its source and its element expression, if both parse on their own; otherwise keeps the whole.
   */
  private static KeyExpression inParts(
      String text,
      String trimmed,
      SpelExpression whole,
      MethodParameters parameters,
      ExpressionParser parser) {
    KeyExpression asWhole = new KeyExpression(text, -1, whole, null, null);
    SpelNode root = whole.getAST();
    if (!(root instanceof CompoundExpression) || root.getChildCount() < 2) {
      return asWhole;
    }
    SpelNode last = root.getChild(root.getChildCount() - 1);
    // "#root" means the whole expression's root, which an element expression would not see.
    if (!(last instanceof Projection) || !trimmed.endsWith("]") || trimmed.contains("#root")) {
      return asWhole;
    }
    int projection = last.getStartPosition(); // at "![", after "." or "?."
    String sourceText = trimmed.substring(0, projection);
    sourceText =
        sourceText.endsWith("?.")
            ? sourceText.substring(0, sourceText.length() - 2)
            : sourceText.substring(0, sourceText.length() - 1);
    String elementText = trimmed.substring(projection + 2, trimmed.length() - 1);
    try {
      return new KeyExpression(
          text,
          -1,
          whole,
          parse(sourceText, parameters, parser),
          parser.parseExpression(elementText));
    } catch (IllegalArgumentException | ParseException e) {
      return asWhole;
    }
  }

  private static void collectUnknownVariables(
      SpelNode node, MethodParameters parameters, List<String> unknown) {
    if (node instanceof VariableReference) {
      String reference = node.toStringAST();
      String name = reference.substring(1);
      if (!name.equals("this") && !name.equals("root") && parameters.indexOf(name) < 0) {
        unknown.add(reference);
      }
    }
    for (int i = 0; i < node.getChildCount(); i++) {
      collectUnknownVariables(node.getChild(i), parameters, unknown);
    }
  }

  String text() {
    return text;
  }

  /** True if {@link #value} needs an evaluation context: not a bare parameter reference. */
  boolean needsContext() {
    return expression != null;
  }

  /** True if {@link #source} and {@link #element} evaluate this expression in parts. */
  boolean isProjection() {
    return element != null;
  }

  /**
   * Evaluates the whole expression for one call.
   *
   * @param context the call's context, or null if {@link #needsContext()} is false
   * @throws RuntimeException whatever SpEL or the code it calls throws
   */
  @Nullable Object value(@Nullable Object[] args, @Nullable EvaluationContext context) {
    Expression parsed = expression;
    if (parsed == null) {
      return args[argumentIndex];
    }
    return parsed.getValue(Objects.requireNonNull(context, "context"));
  }

  /** Evaluates a projection's source; only if {@link #isProjection()}. */
  @Nullable Object source(@Nullable Object[] args, EvaluationContext context) {
    return Objects.requireNonNull(source, "source").value(args, context);
  }

  /**
   * Evaluates a projection's element expression on one element; only if {@link #isProjection()}.
   */
  @Nullable Object element(@Nullable Object each, EvaluationContext context) {
    return Objects.requireNonNull(element, "element").getValue(context, each);
  }
}
