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
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;

/**
 * One entry of {@link DistributedLock#keys()}, parsed. A bare parameter reference such as {@code
 * #productId}, the most common key, is read straight from the arguments; anything else is a SpEL
 * expression, compiled to bytecode by SpEL once it has run often enough, where SpEL can compile it.
 */
final class KeyExpression {

  private static final Pattern BARE_VARIABLE = Pattern.compile("#[A-Za-z_$][A-Za-z0-9_$]*");

  private final String text;

  /** The argument a bare parameter reference reads, else -1. */
  private final int argumentIndex;

  private final @Nullable Expression expression;

  private KeyExpression(String text, int argumentIndex, @Nullable Expression expression) {
    this.text = text;
    this.argumentIndex = argumentIndex;
    this.expression = expression;
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
        return new KeyExpression(text, index, null);
      }
    }
    Expression expression;
    try {
      expression = parser.parseExpression(trimmed);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "key expression " + Values.quote(text) + " does not parse: " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    if (expression instanceof SpelExpression spel) {
      collectUnknownVariables(spel.getAST(), parameters, unknown);
    }
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
    return new KeyExpression(text, -1, expression);
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

  /**
   * Evaluates the expression for one call.
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
}
