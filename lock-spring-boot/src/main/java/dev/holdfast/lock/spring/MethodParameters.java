package dev.holdfast.lock.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;

/**
 * The names under which key expressions see a method's arguments: {@code #p0} and {@code #a0} by
 * position, and each parameter's own name where the class was compiled with {@code -parameters}.
 */
final class MethodParameters {

  private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

  private final int count;
  private final Map<String, Integer> indexByName;
  private final String @Nullable [] names;

  private MethodParameters(int count, Map<String, Integer> indexByName, String @Nullable [] names) {
    this.count = count;
    this.indexByName = indexByName;
    this.names = names;
  }

  static MethodParameters of(Method method) {
    String[] names = NAMES.getParameterNames(method);
    Map<String, Integer> indexByName = new HashMap<>();
    for (int i = 0; i < method.getParameterCount(); i++) {
      indexByName.put("p" + i, i);
      indexByName.put("a" + i, i);
    }
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        indexByName.put(names[i], i);
      }
    }
    return new MethodParameters(method.getParameterCount(), Map.copyOf(indexByName), names);
  }

  /** The position of the argument {@code name} stands for, or -1. */
  int indexOf(String name) {
    Integer index = indexByName.get(name);
    return index == null ? -1 : index;
  }

  /** The names an expression may use, for a message about one it may not. */
  String describe() {
    List<String> described = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      described.add(names == null ? "#p" + i : "#" + names[i] + " (#p" + i + ")");
    }
    String parameters = count == 0 ? "none" : String.join(", ", described);
    return names == null
        ? parameters + "; parameter names are not available: compile with -parameters to use them"
        : parameters;
  }

  /** The arguments as {@code [name=value, ...]}, each value cut short, for a message. */
  String describe(@Nullable Object[] args) {
    List<String> described = new ArrayList<>(args.length);
    for (int i = 0; i < args.length; i++) {
      described.add((names == null ? "p" + i : names[i]) + "=" + Values.quote(args[i]));
    }
    return described.toString();
  }
}
