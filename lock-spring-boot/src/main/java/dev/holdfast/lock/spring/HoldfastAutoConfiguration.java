package dev.holdfast.lock.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** Auto-configures Holdfast: the lock provider, the template, its policies and listeners. */
@AutoConfiguration
public final class HoldfastAutoConfiguration {

  /** Created by Spring. */
  HoldfastAutoConfiguration() {}
}
