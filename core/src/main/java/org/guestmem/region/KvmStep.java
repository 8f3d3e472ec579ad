package org.guestmem.region;

import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeException;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;

/**
 * The KVM step of a change of the shared attribute: converts the changed runs of the guest memory itself through a
 * {@link MemoryAttributeBackend}, run by run, and converts back the runs already done when one is refused, so that
 * a refusal anywhere in a multi-run change leaves KVM as it was. An {@code EAGAIN} towards private names a page
 * that still has an extra reference: if a registered listener of this region still holds it, guestmem itself
 * forgot to unmap it (a bug, counted for {@code MappingAuditor} and refused at once); otherwise the pin belongs to
 * someone else and the run is retried up to {@code pinRetries} times. Guarded by the region's write lock.
 */
final class KvmStep {
  private final MemoryAttributeBackend backend;
  private final ListenerSet listeners;
  private final int shift;
  private final int pinRetries;
  private volatile long heldPinRefusals;
  private volatile String lastHeldPin;
  private volatile long pinRetriesMade;
  /** Why the last run failed, in words, for the conversion's message. */
  private String detail;

  KvmStep(MemoryAttributeBackend backend, ListenerSet listeners, int shift, int pinRetries) {
    this.backend = backend;
    this.listeners = listeners;
    this.shift = shift;
    this.pinRetries = pinRetries;
  }

  MemoryAttributeBackend backend() {
    return backend;
  }

  long heldPinRefusals() {
    return heldPinRefusals;
  }

  String lastHeldPin() {
    return lastHeldPin;
  }

  long pinRetriesMade() {
    return pinRetriesMade;
  }

  /**
   * Converts every block run of {@code changed} to {@code shared}. On a refusal, converts the runs already done back
   * and throws a {@link ConversionException} whose cause is what refused; {@code offset, length} name the change.
   */
  void convert(RunList changed, boolean shared, long offset, long length) {
    for (int i = 0; i < changed.size(); i++) {
      long s = changed.start(i) << shift;
      long e = changed.end(i) << shift;
      detail = null;
      try {
        convertRun(s, e, shared);
      } catch (Throwable refusal) {
        ConversionException failure = new ConversionException(String.format(
            "KVM refused to make [0x%x, 0x%x) %s%s; the change of [0x%x, 0x%x) was undone: %s", s, e,
            shared ? "shared" : "private", detail == null ? "" : " (" + detail + ")", offset, offset + length,
            ListenerSet.describe(refusal)), offset, length, refusal);
        for (int j = i - 1; j >= 0; j--) {
          undo(changed.start(j) << shift, changed.end(j) << shift, !shared, failure);
        }
        throw failure;
      }
    }
  }

  /**
   * After the store was brought back from a change of {@code changed} towards {@code wasToShared}, converts KVM back
   * wherever the store reads the previous attribute again (runs the store had to keep shared stay shared). With no
   * trustworthy store ({@code store == null}) every changed run goes back. Failures are attached to {@code failure}.
   */
  void revert(StateStore store, RunList changed, boolean wasToShared, ConversionException failure) {
    int previous = wasToShared ? SourceStores.DISCARDED : SourceStores.POPULATED;
    for (int i = 0; i < changed.size(); i++) {
      if (store == null) {
        undo(changed.start(i) << shift, changed.end(i) << shift, !wasToShared, failure);
        continue;
      }
      try {
        RunCursor runs = store.runs(changed.start(i), changed.end(i));
        while (runs.next()) {
          if (runs.state() == previous) {
            undo(runs.start() << shift, runs.end() << shift, !wasToShared, failure);
          }
        }
      } catch (Throwable unreadable) {
        failure.addSuppressed(unreadable);
        undo(changed.start(i) << shift, changed.end(i) << shift, !wasToShared, failure);
      }
    }
  }

  private void undo(long start, long end, boolean shared, ConversionException failure) {
    try {
      convertRun(start, end, shared);
    } catch (Throwable second) {
      failure.addSuppressed(second);
    }
  }

  private void convertRun(long start, long end, boolean shared) {
    for (int attempt = 0; ; attempt++) {
      try {
        backend.convert(start, end - start, shared);
        return;
      } catch (MemoryAttributeException refused) {
        if (shared || refused.errnoConstant() != Errno.EAGAIN || refused.errorRegionOffset().isEmpty()) {
          throw refused;
        }
        long page = refused.errorRegionOffset().getAsLong();
        RamDiscardListener holder = listeners.holder(page);
        if (holder != null) {
          String bug = String.format("region offset 0x%x is still mapped by %s, which was told to discard it: "
              + "guestmem itself holds the pin KVM refuses (a bug)", page, holder);
          lastHeldPin = bug;
          heldPinRefusals++;
          detail = bug;
          throw refused;
        }
        if (attempt >= pinRetries) {
          detail = String.format("region offset 0x%x is pinned outside guestmem; tried %d times", page,
              attempt + 1);
          throw refused;
        }
        pinRetriesMade++;
        Thread.yield(); // give whoever holds the transient reference a chance to drop it
      }
    }
  }
}
