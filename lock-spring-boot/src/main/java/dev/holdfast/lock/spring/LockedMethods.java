package dev.holdfast.lock.spring;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds and prepares {@link DistributedLock} methods, once per method and target class. When the
 * auto-proxy creator asks whether a bean class needs the lock advisor, every annotated method of
 * the class is checked and prepared, so that a method that cannot be locked, an expression that
 * does not parse or a duration that is not one fails the context at startup. Thread-safe.
 */
final class LockedMethods {

  /** What the cache holds for a method without the annotation. */
  private static final Object NOT_LOCKED = new Object();

  /** Return types whose work runs after the method returns, by name: the classes may be absent. */
  private static final List<String> ASYNCHRONOUS_TYPES =
      List.of(
          "org.reactivestreams.Publisher",
          Flow.Publisher.class.getName(),
          CompletionStage.class.getName(),
          Future.class.getName(),
          "kotlinx.coroutines.flow.Flow");

  private static final String CONTINUATION = "kotlin.coroutines.Continuation";

  private final ConfigurableBeanFactory beanFactory;
  private final ExpressionParser parser;
  private final EvaluationContext sharedContext;

  private final Map<Class<?>, Boolean> classes = new ConcurrentHashMap<>();
  private final Map<MethodClassKey, Object> byInvokedMethod = new ConcurrentHashMap<>();
  private final Map<Method, Object> byAnnotatedMethod = new ConcurrentHashMap<>();

  LockedMethods(ConfigurableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
    // MIXED: compiled once an expression has run often enough; back to the interpreter, and a
    // later recompilation, if compiled code meets argument types it was not compiled for.
    this.parser =
        new SpelExpressionParser(
            new SpelParserConfiguration(SpelCompilerMode.MIXED, beanFactory.getBeanClassLoader()));
    StandardEvaluationContext context = new StandardEvaluationContext();
    context.setBeanResolver(new BeanFactoryResolver(beanFactory));
    // Initialises the context's lazily created lists now: evaluations share it across threads.
    context.getPropertyAccessors();
    context.getIndexAccessors();
    context.getMethodResolvers();
    context.getConstructorResolvers();
    context.getTypeLocator();
    this.sharedContext = context;
  }

  /**
   * Tells whether {@code targetClass} has a {@link DistributedLock} method, checking and preparing
   * every one it has.
   *
   * @throws IllegalStateException naming the method and what is wrong with it
   */
  boolean hasLockedMethods(Class<?> targetClass) {
    Class<?> userClass = ClassUtils.getUserClass(targetClass);
    Boolean known = classes.get(userClass);
    if (known != null) {
      return known;
    }
    boolean found = false;
    if (AnnotationUtils.isCandidateClass(userClass, DistributedLock.class)) {
      for (Method method :
          ReflectionUtils.getUniqueDeclaredMethods(
              userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
        if (find(method, userClass) != null) {
          found = true;
        }
      }
    }
    classes.put(userClass, found);
    return found;
  }

  /**
   * Returns the prepared method that a call of {@code method} on an instance of {@code targetClass}
   * runs, or null if it carries no {@link DistributedLock}.
   *
   * @throws IllegalStateException naming the method and what is wrong with it
   */
  @Nullable LockedMethod find(Method method, @Nullable Class<?> targetClass) {
    Object found = byInvokedMethod.get(new MethodClassKey(method, targetClass));
    if (found == null) {
      Method annotated = AopUtils.getMostSpecificMethod(method, targetClass);
      found = byAnnotatedMethod.computeIfAbsent(annotated, this::prepare);
      byInvokedMethod.put(new MethodClassKey(method, targetClass), found);
    }
    return found instanceof LockedMethod locked ? locked : null;
  }

  private Object prepare(Method method) {
    DistributedLock annotation =
        AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
    if (annotation == null) {
      return NOT_LOCKED;
    }
    String description = describe(method);
    String refusal = whyNotLockable(method);
    if (refusal != null) {
      throw new IllegalStateException("@DistributedLock on " + description + ": " + refusal);
    }
    try {
      MethodParameters parameters = MethodParameters.of(method);
      return new LockedMethod(
          description,
          annotation.prefix(),
          parse(annotation.keys(), parameters),
          parameters,
          sharedContext,
          options(annotation));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "@DistributedLock on " + description + ": " + e.getMessage(), e);
    }
  }

  /** Why calls of {@code method} could not be locked, or null if they can. */
  private static @Nullable String whyNotLockable(Method method) {
    int modifiers = method.getModifiers();
    if (Modifier.isStatic(modifiers)) {
      return "the method is static, and a proxy only intercepts calls on the bean; it would run"
          + " without its locks";
    }
    if (!Modifier.isPublic(modifiers)) {
      return "the method is not public, and only public methods are locked: a proxy does not"
          + " intercept private methods, and calls of other non-public ones are not guaranteed to"
          + " go through it; make it public";
    }
    if (Modifier.isFinal(modifiers)) {
      return "the method is final, and a class-based proxy cannot override it; it would run"
          + " without its locks";
    }
    Class<?>[] parameterTypes = method.getParameterTypes();
    if (parameterTypes.length > 0
        && parameterTypes[parameterTypes.length - 1].getName().equals(CONTINUATION)) {
      return "the method is a Kotlin suspend function: it returns at its first suspension, the"
          + " locks would be released then, and the rest of its work would run without them";
    }
    String asynchronous = asynchronousType(method.getReturnType());
    if (asynchronous != null) {
      return "the method returns "
          + method.getReturnType().getName()
          + " ("
          + asynchronous
          + "): its work runs after it returns, when the locks have been released; lock inside"
          + " the asynchronous work instead, around a blocking call";
    }
    return null;
  }

  private static @Nullable String asynchronousType(Class<?> returnType) {
    Set<String> supertypes = new HashSet<>();
    for (Class<?> type = returnType; type != null; type = type.getSuperclass()) {
      supertypes.add(type.getName());
      for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
        supertypes.add(implemented.getName());
      }
    }
    for (String asynchronous : ASYNCHRONOUS_TYPES) {
      if (supertypes.contains(asynchronous)) {
        return "a " + asynchronous;
      }
    }
    if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
      return "a reactive type";
    }
    return null;
  }

  private KeyExpression[] parse(String[] texts, MethodParameters parameters) {
    if (texts.length == 0) {
      throw new IllegalArgumentException("keys must name at least one expression, was {}");
    }
    KeyExpression[] expressions = new KeyExpression[texts.length];
    for (int i = 0; i < texts.length; i++) {
      expressions[i] = KeyExpression.parse(texts[i], parameters, parser);
    }
    return expressions;
  }

  private LockOptions options(DistributedLock annotation) {
    LockOptions.Builder options = LockOptions.builder();
    setDuration("waitTime", annotation.waitTime(), options::waitTime);
    setDuration("leaseTime", annotation.leaseTime(), options::leaseTime);
    LeaseMode[] leaseMode = annotation.leaseMode();
    if (leaseMode.length > 1) {
      throw new IllegalArgumentException(
          "leaseMode must name at most one mode, was " + Arrays.toString(leaseMode));
    }
    if (leaseMode.length == 1) {
      options.leaseMode(leaseMode[0]);
    }
    return options.build();
  }

  /**
   * Resolves the attribute's placeholders, parses the duration and sets it; sets nothing if the
   * attribute, or what it resolves to, is blank.
   */
  private void setDuration(String attribute, String value, Consumer<Duration> setter) {
    if (value.isBlank()) {
      return;
    }
    String resolved;
    try {
      resolved = beanFactory.resolveEmbeddedValue(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          attribute + " " + Values.quote(value) + " cannot be resolved: " + e.getMessage(), e);
    }
    if (resolved == null || resolved.isBlank()) {
      return;
    }
    String shown =
        resolved.equals(value)
            ? Values.quote(value)
            : Values.quote(value) + " (resolved to " + Values.quote(resolved) + ")";
    Duration duration;
    try {
      duration = DurationStyle.detectAndParse(resolved.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          attribute
              + " "
              + shown
              + " is not a duration such as 2s, 500ms or PT2S (a bare number means"
              + " milliseconds)",
          e);
    }
    try {
      setter.accept(duration);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(attribute + " " + shown + ": " + e.getMessage(), e);
    }
  }

  /** {@code OrderService.reserve(List)}. */
  private static String describe(Method method) {
    return ClassUtils.getShortName(method.getDeclaringClass())
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
