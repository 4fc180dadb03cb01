package dev.holdfast.lock.spring;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.ConstructorResolver;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.IndexAccessor;
import org.springframework.expression.MethodResolver;
import org.springframework.expression.OperatorOverloader;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.TypeComparator;
import org.springframework.expression.TypeConverter;
import org.springframework.expression.TypeLocator;
import org.springframework.expression.TypedValue;

/**
 * What a key expression sees during one call: the call's arguments as variables, and everything
 * else (property access, bean references, types) from one context shared by all calls. One small
 * object per call, where a {@code StandardEvaluationContext} would set up maps and lists.
 */
final class ArgumentsContext implements EvaluationContext {

  private final EvaluationContext shared;
  private final MethodParameters parameters;
  private final @Nullable Object[] args;

  ArgumentsContext(EvaluationContext shared, MethodParameters parameters, @Nullable Object[] args) {
    this.shared = shared;
    this.parameters = parameters;
    this.args = args;
  }

  @Override
  public @Nullable Object lookupVariable(String name) {
    int index = parameters.indexOf(name);
    return index < 0 ? null : args[index];
  }

  /** Key expressions read; an assignment would change what later expressions see. */
  @Override
  public boolean isAssignmentEnabled() {
    return false;
  }

  @Override
  public void setVariable(String name, @Nullable Object value) {
    throw new IllegalStateException(
        "A @DistributedLock key expression cannot set variables, was #" + name);
  }

  @Override
  public TypedValue getRootObject() {
    return TypedValue.NULL;
  }

  @Override
  public List<PropertyAccessor> getPropertyAccessors() {
    return shared.getPropertyAccessors();
  }

  @Override
  public List<IndexAccessor> getIndexAccessors() {
    return shared.getIndexAccessors();
  }

  @Override
  public List<ConstructorResolver> getConstructorResolvers() {
    return shared.getConstructorResolvers();
  }

  @Override
  public List<MethodResolver> getMethodResolvers() {
    return shared.getMethodResolvers();
  }

  @Override
  public @Nullable BeanResolver getBeanResolver() {
    return shared.getBeanResolver();
  }

  @Override
  public TypeLocator getTypeLocator() {
    return shared.getTypeLocator();
  }

  @Override
  public TypeConverter getTypeConverter() {
    return shared.getTypeConverter();
  }

  @Override
  public TypeComparator getTypeComparator() {
    return shared.getTypeComparator();
  }

  @Override
  public OperatorOverloader getOperatorOverloader() {
    return shared.getOperatorOverloader();
  }
}
