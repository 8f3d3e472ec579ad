package org.guestmem.region;

import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of one region with their sections, and how they are told: notification of delta runs clipped to
 * each section, and the compensation that undoes a notification when a listener refuses. A refusal is any
 * {@link Throwable}; compensation never depends on what was thrown. Guarded by the region's write lock.
 */
final class ListenerSet {
  private static final System.Logger LOG = System.getLogger(ListenerSet.class.getName());
  /** A listener and its section in blocks, {@code [from, to)}. */
  record Registration(RamDiscardListener listener, long from, long to) {}

  private final List<Registration> registrations = new ArrayList<>();
  private final int shift;
  private boolean notifying;

  ListenerSet(int shift) {
    this.shift = shift;
  }

  int size() {
    return registrations.size();
  }

  Registration get(int index) {
    return registrations.get(index);
  }

  void add(Registration r) {
    registrations.add(r);
  }

  void remove(int index) {
    registrations.remove(index);
  }

  int indexOf(RamDiscardListener listener) {
    for (int i = 0; i < registrations.size(); i++) {
      if (registrations.get(i).listener() == listener) {
        return i;
      }
    }
    return -1;
  }

  /** The listener whose section holds byte {@code offset} and that says it still holds it, or null. */
  RamDiscardListener holder(long offset) {
    long block = offset >>> shift;
    for (Registration r : registrations) {
      if (block >= r.from && block < r.to && r.listener.holds(offset)) {
        return r.listener;
      }
    }
    return null;
  }

  /** Refuses a change made from inside a notification (it would interleave with the change being notified). */
  void checkNotNotifying() {
    if (notifying) {
      throw new IllegalStateException(
          "a listener may not change the region or its listeners from inside a notification");
    }
  }

  /**
   * Notifies every listener of the runs in {@code delta} that meet its section and returns the calls made. On a
   * refusal, compensates every call made (the refused one included) and throws; {@code offset}, {@code length} name
   * the conversion in the message.
   */
  long notify(RunList delta, boolean populate, long offset, long length) {
    if (delta.size() == 0 || registrations.isEmpty()) {
      return 0;
    }
    long calls = 0;
    notifying = true;
    try {
      for (int li = 0; li < registrations.size(); li++) {
        Registration r = registrations.get(li);
        for (int j = delta.firstEndingAfter(r.from); j < delta.size() && delta.start(j) < r.to; j++) {
          long s = Math.max(delta.start(j), r.from);
          long e = Math.min(delta.end(j), r.to);
          try {
            call(r.listener, populate, s, e);
            calls++;
          } catch (Throwable refusal) {
            ConversionException failure = new ConversionException(String.format(
                "%s of [0x%x, 0x%x) refused by %s; the change of [0x%x, 0x%x) was undone: %s",
                populate ? "populate" : "discard", s << shift, e << shift, r.listener, offset, offset + length,
                describe(refusal)), offset, length, refusal);
            LOG.log(System.Logger.Level.DEBUG, "compensating the calls made before: {0}", failure.getMessage());
            for (int lk = 0; lk <= li; lk++) {
              compensate(registrations.get(lk), delta, populate, lk < li ? Integer.MAX_VALUE : j, failure);
            }
            throw failure;
          }
        }
      }
    } finally {
      notifying = false;
    }
    return calls;
  }

  /**
   * Undoes a notification of {@code delta} that every listener took: each gets the opposite call for every run of
   * its section. Compensations that fail are attached to {@code failure}.
   */
  void undoAll(RunList delta, boolean populate, ConversionException failure) {
    notifying = true;
    try {
      for (Registration r : registrations) {
        compensate(r, delta, populate, Integer.MAX_VALUE, failure);
      }
    } finally {
      notifying = false;
    }
  }

  /**
   * Sends the opposite of {@code populate} for the runs of {@code delta} up to index {@code last} in the section.
   * A compensating discard that fails leaves its blocks in {@code failure.keptPopulated}: the listener may still map
   * them, so they must not turn private.
   */
  private void compensate(Registration r, RunList delta, boolean populate, int last, ConversionException failure) {
    for (int j = delta.firstEndingAfter(r.from); j < delta.size() && j <= last && delta.start(j) < r.to; j++) {
      long s = Math.max(delta.start(j), r.from);
      long e = Math.min(delta.end(j), r.to);
      try {
        call(r.listener, !populate, s, e);
      } catch (Throwable second) {
        LOG.log(System.Logger.Level.WARNING, "compensating {0} of [0x{1}, 0x{2}) by {3} failed: {4}",
            populate ? "discard" : "populate", Long.toHexString(s << shift), Long.toHexString(e << shift),
            r.listener, describe(second));
        failure.addSuppressed(second);
        if (populate) {
          failure.keptPopulated.add(s, e);
        }
      }
    }
  }

  /**
   * Tells {@code r}'s listener {@code populate} (or discard) for each of {@code runs}; on a refusal, undoes the calls
   * made (the refused one included) and throws. {@code what} names the operation in the message.
   */
  void replayOrUndo(Registration r, RunList runs, boolean populate, String what) {
    notifying = true;
    try {
      for (int j = 0; j < runs.size(); j++) {
        try {
          call(r.listener, populate, runs.start(j), runs.end(j));
        } catch (Throwable refusal) {
          ConversionException failure = new ConversionException(String.format(
              "%s of %s refused %s of [0x%x, 0x%x) and was undone: %s", what, r.listener,
              populate ? "populate" : "discard", runs.start(j) << shift, runs.end(j) << shift,
              describe(refusal)), r.from << shift, (r.to - r.from) << shift, refusal);
          LOG.log(System.Logger.Level.INFO, "{0}", failure.getMessage());
          compensate(r, runs, populate, j, failure);
          throw failure;
        }
      }
    } finally {
      notifying = false;
    }
  }

  private void call(RamDiscardListener listener, boolean populate, long fromBlock, long toBlock) {
    long off = fromBlock << shift;
    long len = (toBlock - fromBlock) << shift;
    if (populate) {
      listener.populate(off, len);
    } else {
      listener.discard(off, len);
    }
  }

  /** The refusal for a message: its text, or its class where it has none (an Error often has none). */
  static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
  }
}
