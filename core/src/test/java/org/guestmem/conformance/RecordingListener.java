package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.guestmem.region.RamDiscardListener;

/**
 * A listener that keeps an exact per-block view of what it was told, checks every notification against the rules
 * (granularity multiples, inside its section), and can be told to refuse its k-th call.
 */
public final class RecordingListener implements RamDiscardListener {
  /** Which calls a failure injection counts. */
  public enum Kind { POPULATE, DISCARD, ANY }

  private final String name;
  private final long granularity;
  private final long sectionOffset;
  private final long sectionLength;
  private final BitSet view = new BitSet();
  private final List<String> log = new ArrayList<>();
  private long populateCalls;
  private long discardCalls;
  private Kind failKind;
  private long failAt = -1;
  private long counted;
  private int failures;
  private boolean partial;
  private FaultKind faultKind = FaultKind.RUNTIME;

  public RecordingListener(String name, long granularity, long sectionOffset, long sectionLength) {
    this.name = name;
    this.granularity = granularity;
    this.sectionOffset = sectionOffset;
    this.sectionLength = sectionLength;
  }

  /** Refuse the {@code k}-th (1-based) call of {@code kind} from now on, once. */
  public RecordingListener failOn(Kind kind, long k) {
    this.failKind = kind;
    this.failAt = k;
    this.counted = 0;
    return this;
  }

  /**
   * Make refusals partial: the refused call first applies the first block of its range, as a kernel that walks a
   * range and stops at an error would (iommufd's unmap). The manager's compensation must then cover the refused call.
   */
  public RecordingListener partialRefusals(boolean partial) {
    this.partial = partial;
    return this;
  }

  /** Refuse with a throwable of {@code kind} (a runtime exception by default). */
  public RecordingListener failWith(FaultKind kind) {
    this.faultKind = kind;
    return this;
  }

  /** Stop refusing. */
  public void heal() {
    failAt = -1;
  }

  @Override
  public void populate(long offset, long length) {
    apply(Kind.POPULATE, offset, length);
  }

  @Override
  public void discard(long offset, long length) {
    apply(Kind.DISCARD, offset, length);
  }

  /** Checks a populate or discard, refuses it if armed to, else counts, logs and applies it to the view. */
  private void apply(Kind kind, long offset, long length) {
    boolean populate = kind == Kind.POPULATE;
    String what = populate ? "populate" : "discard";
    check(what, offset, length);
    maybeFail(kind, what, offset, length, populate);
    if (populate) {
      populateCalls++;
    } else {
      discardCalls++;
    }
    log.add(what + " " + offset + "+" + length);
    view.set(block(offset), block(offset + length), populate);
  }

  private void maybeFail(Kind kind, String what, long offset, long length, boolean populate) {
    if (failAt < 0 || (failKind != Kind.ANY && failKind != kind)) {
      return;
    }
    if (++counted == failAt) {
      failAt = -1;
      failures++;
      if (partial) {
        view.set(block(offset), block(offset) + 1, populate);
      }
      throw faultKind.raise(name + " refuses " + what + " of " + offset + "+" + length);
    }
  }

  private void check(String what, long offset, long length) {
    assertTrue(length > 0, name + ": " + what + " with length " + length);
    assertEquals(0, offset % granularity, name + ": " + what + " offset " + offset + " not a granularity multiple");
    assertEquals(0, length % granularity, name + ": " + what + " length " + length + " not a granularity multiple");
    assertTrue(offset >= sectionOffset && offset + length <= sectionOffset + sectionLength,
        name + ": " + what + " [" + offset + ", " + (offset + length) + ") leaves the section ["
            + sectionOffset + ", " + (sectionOffset + sectionLength) + ")");
  }

  private int block(long offset) {
    return Math.toIntExact(offset / granularity);
  }

  /** The blocks (of the region) this listener currently holds as populated. */
  public BitSet view() {
    return (BitSet) view.clone();
  }

  public long populateCalls() {
    return populateCalls;
  }

  public long discardCalls() {
    return discardCalls;
  }

  /** Calls that succeeded, in order. */
  public List<String> log() {
    return List.copyOf(log);
  }

  public void clearLog() {
    log.clear();
  }

  /** How many refusals were injected. */
  public int failures() {
    return failures;
  }

  public long sectionOffset() {
    return sectionOffset;
  }

  public long sectionLength() {
    return sectionLength;
  }

  @Override
  public String toString() {
    return name;
  }
}
