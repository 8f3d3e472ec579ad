package org.guestmem.bench.store;

import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;

/** A guestmem {@link StateStore}, used through the SPI only. Not thread-safe. */
public final class StoreSubject implements RunSubject {
  private final StateStore store;

  /** A subject over {@code store}, which it uses and never copies. */
  public StoreSubject(StateStore store) {
    this.store = store;
  }

  @Override
  public long blocks() {
    return store.blocks();
  }

  @Override
  public void set(long from, long to, int state) {
    store.set(from, to, state);
  }

  @Override
  public int get(long block) {
    return store.get(block);
  }

  @Override
  public long nextChange(long block) {
    return store.nextChange(block);
  }

  @Override
  public long visit(long from, long to) {
    long sum = 0;
    RunCursor c = store.runs(from, to);
    while (c.next()) {
      sum += 1 + (c.end() - c.start()) * c.state();
    }
    return sum;
  }

  @Override
  public long iterate(long from, int runs) {
    long sum = 0;
    RunCursor c = store.runs(from, store.blocks());
    for (int i = 0; i < runs; i++) {
      if (!c.next()) {
        c = store.runs(0, store.blocks());
        c.next();
      }
      sum += 1 + (c.end() - c.start()) * c.state();
    }
    return sum;
  }

  @Override
  public Object retained() {
    return store;
  }
}
