package org.guestmem.workload;

/** Base of the generated streams: the current operation's fields, filled by {@link #advance()}. */
abstract class GeneratedOps implements OpStream {
  protected final WorkloadSpec spec;
  protected final SplitMix64 random;
  private OpKind kind;
  private long offset;
  private long length;
  private long count;
  private long budget = Long.MAX_VALUE;

  GeneratedOps(WorkloadSpec spec) {
    this.spec = spec;
    this.random = new SplitMix64(spec.seed());
  }

  /** A stream that {@link #takeOne() takes} at most {@code budget} steps. */
  GeneratedOps(WorkloadSpec spec, long budget) {
    this(spec);
    this.budget = budget;
  }

  /** Counts one step against the budget; false once it is spent. */
  protected final boolean takeOne() {
    if (budget == 0) {
      return false;
    }
    budget--;
    return true;
  }

  /** Sets the next operation with {@link #emit} and returns true, or returns false at the end. */
  protected abstract boolean advance();

  protected final boolean emit(OpKind kind, long offset, long length) {
    this.kind = kind;
    this.offset = offset;
    this.length = length;
    return true;
  }

  @Override
  public final boolean next() {
    if (!advance()) {
      return false;
    }
    count++;
    return true;
  }

  @Override
  public final OpKind kind() {
    return kind;
  }

  @Override
  public final long offset() {
    return offset;
  }

  @Override
  public final long length() {
    return length;
  }

  @Override
  public final long count() {
    return count;
  }

  @Override
  public String position() {
    return "op " + count;
  }

  /** A random unit-aligned offset: unit index in {@code [0, size / unit)} times the unit. */
  protected final long randomUnit(long unit) {
    return random.nextLong(spec.size() / unit) * unit;
  }
}
