package dev.holdfast.lock;

import dev.holdfast.lock.spi.LockHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** What one call's callback sees: its keys, each with the handle that holds it. */
final class HeldLocksView implements HeldLocks {

  private final List<String> keys;
  private final LockHandle[] owners;

  /** {@code owners[i]} holds {@code keys.get(i)}. */
  HeldLocksView(List<String> keys, LockHandle[] owners) {
    this.keys = keys;
    this.owners = owners;
  }

  static HeldLocksView heldBy(List<String> keys, LockHandle handle) {
    LockHandle[] owners = new LockHandle[keys.size()];
    Arrays.fill(owners, handle);
    return new HeldLocksView(keys, owners);
  }

  @Override
  public List<String> keys() {
    return keys;
  }

  @Override
  public OptionalLong fencingToken(String key) {
    int index = keys.indexOf(key);
    if (index < 0) {
      throw new IllegalArgumentException(
          "key must be one of " + keys + ", was " + Arguments.quote(String.valueOf(key)));
    }
    return owners[index].fencingToken(key);
  }

  @Override
  public boolean isHeld() {
    return lostKeys().isEmpty();
  }

  @Override
  public void checkHeld() {
    List<String> lost = lostKeys();
    if (!lost.isEmpty()) {
      throw new LockLostException(keys, lost);
    }
  }

  private List<String> lostKeys() {
    List<String> lost = new ArrayList<>(0);
    LockHandle asked = null;
    List<String> lostOfAsked = List.of();
    for (int i = 0; i < keys.size(); i++) {
      if (owners[i] != asked) {
        asked = owners[i];
        lostOfAsked = asked.lostKeys();
      }
      if (lostOfAsked.contains(keys.get(i))) {
        lost.add(keys.get(i));
      }
    }
    return lost;
  }
}
