package org.guestmem.bench.peers;

/**
 * A walk over maximal runs, fed the shared ranges in ascending order (touching pieces are joined), private runs
 * being the gaps: the checksum and hash every peer computes the same way, so the Java side and the native drivers
 * ({@code benchmarks/native/peer.c}) can be compared. Per run: checksum += 1 + (length if shared); the hash is FNV-1a
 * style over (from, to, state) of each run.
 */
final class RunWalk {
  private static final long FNV_PRIME = 0x100000001b3L;
  private long pos;
  private final long to;
  private long limit;
  long sum;
  long runs;
  long sharedBlocks;
  long hash = 0xcbf29ce484222325L;
  private boolean pending;
  private long pendFrom;
  private long pendTo;

  /** A walk over [from, to), at most {@code limit} runs. */
  RunWalk(long from, long to, long limit) {
    this.pos = from;
    this.to = to;
    this.limit = limit;
  }

  long pos() {
    return pos;
  }

  long limit() {
    return limit;
  }

  private void emit(long from, long end, int shared) {
    if (from >= end || limit == 0) {
      return;
    }
    runs++;
    limit--;
    sum += 1 + (shared == 1 ? end - from : 0);
    if (shared == 1) {
      sharedBlocks += end - from;
    }
    hash = ((((hash ^ from) * FNV_PRIME) ^ end) * FNV_PRIME ^ shared) * FNV_PRIME;
    pos = end;
  }

  /** Feeds the shared range [from, end); false once the walk needs nothing more. */
  boolean shared(long from, long end) {
    if (pending) {
      if (from <= pendTo) {
        pendTo = Math.max(pendTo, end);
        return limit > 0;
      }
      emit(pendFrom, Math.min(pendTo, to), 1);
      pending = false;
    }
    if (limit == 0 || pos >= to || from >= to) {
      return false;
    }
    if (end <= pos) {
      return true;
    }
    from = Math.max(from, pos);
    emit(pos, from, 0);
    pending = true;
    pendFrom = from;
    pendTo = end;
    return limit > 0;
  }

  /** Ends the walk at its end; true if runs are still wanted (an iterate that wraps). */
  boolean finish() {
    if (pending) {
      emit(pendFrom, Math.min(pendTo, to), 1);
      pending = false;
    }
    if (pos < to) {
      emit(pos, to, 0);
    }
    return limit > 0 && limit != Long.MAX_VALUE;
  }
}
