package org.guestmem.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/**
 * Wraps a store provider so that its stores fail on demand, as a third-party store with a bug or a store running
 * out of memory while it grows would: {@link #failSet} makes the k-th {@code set} of a store apply part of its range
 * and then throw; {@link #failReads} makes reads throw; {@link #failCreate} makes the provider refuse new stores
 * (so that a rebuild fails too). Stores are numbered in creation order; the manager creates the shared attribute's
 * store first and the plug store second.
 */
public final class FailingStoreProvider implements StateStoreProvider {
  private final StateStoreProvider delegate;
  private final List<FailingStore> created = new ArrayList<>();
  private FaultKind createFault;

  public FailingStoreProvider(StateStoreProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int maxStates() {
    return delegate.maxStates();
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    if (createFault != null) {
      throw createFault.raise("injected: the " + name() + " provider cannot create a store");
    }
    FailingStore store = new FailingStore(delegate.create(blocks, states, initialState, options));
    created.add(store);
    return store;
  }

  /** The {@code index}-th store created (0 is the shared attribute's). */
  public FailingStore store(int index) {
    return created.get(index);
  }

  /** How many stores this provider has created. */
  public int created() {
    return created.size();
  }

  /** Makes {@link #create} fail with {@code kind} from now on ({@code null}: stop). */
  public FailingStoreProvider failCreate(FaultKind kind) {
    this.createFault = kind;
    return this;
  }

  /** A store that fails as armed. */
  public static final class FailingStore implements StateStore {
    private final StateStore delegate;
    private FaultKind kind;
    private long setsLeft = -1;
    private boolean failEverySetAfter;
    private boolean failReads;
    private int failures;
    private long sets;

    FailingStore(StateStore delegate) {
      this.delegate = delegate;
    }

    /**
     * The {@code k}-th {@code set} from now on (1-based) sets the first half of its range (at least one block) and
     * then throws {@code kind}; with {@code sticky}, every later {@code set} fails the same way (the write-back
     * too).
     */
    public FailingStore failSet(long k, FaultKind kind, boolean sticky) {
      this.kind = kind;
      this.setsLeft = k;
      this.failEverySetAfter = sticky;
      return this;
    }

    /** Makes every read ({@code get}, {@code nextChange}, {@code runs}) throw {@code kind}; null: stop. */
    public FailingStore failReads(FaultKind kind) {
      this.kind = kind == null ? this.kind : kind;
      this.failReads = kind != null;
      return this;
    }

    /** Stops failing. */
    public void heal() {
      setsLeft = -1;
      failEverySetAfter = false;
      failReads = false;
    }

    /** How many {@code set} calls were made, failed ones included. */
    public long sets() {
      return sets;
    }

    /** How many failures were thrown. */
    public int failures() {
      return failures;
    }

    private void readFault() {
      if (failReads) {
        failures++;
        kind.raise("injected: store read fails");
      }
    }

    @Override
    public void set(long from, long to, int state) {
      sets++;
      if (setsLeft > 0 && --setsLeft == 0) {
        setsLeft = failEverySetAfter ? 1 : -1;
        long half = Math.max(from + 1, from + (to - from) / 2);
        delegate.set(from, Math.min(half, to), state);
        failures++;
        kind.raise(String.format("injected: store set [%d, %d) to %d failed part-way", from, to, state));
      }
      delegate.set(from, to, state);
    }

    @Override
    public long blocks() {
      return delegate.blocks();
    }

    @Override
    public int states() {
      return delegate.states();
    }

    @Override
    public int get(long block) {
      readFault();
      return delegate.get(block);
    }

    @Override
    public boolean isUniform(long from, long to, int state) {
      readFault();
      return delegate.isUniform(from, to, state);
    }

    @Override
    public long nextChange(long block) {
      readFault();
      return delegate.nextChange(block);
    }

    @Override
    public long nextChange(long block, long limit) {
      readFault();
      return delegate.nextChange(block, limit);
    }

    @Override
    public RunCursor runs(long from, long to) {
      readFault();
      return delegate.runs(from, to);
    }

    @Override
    public long count(int state) {
      return delegate.count(state);
    }

    @Override
    public long memoryBytes() {
      return delegate.memoryBytes();
    }

    @Override
    public StateStore copy() {
      return delegate.copy();
    }
  }
}
