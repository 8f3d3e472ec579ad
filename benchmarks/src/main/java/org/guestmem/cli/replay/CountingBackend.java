package org.guestmem.cli.replay;

import java.util.List;
import java.util.function.LongSupplier;
import org.guestmem.jfr.DmaCallEvent;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.ForwardingDmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaMapping;

/**
 * A {@link DmaBackend} that passes every call to another and counts the map, unmap and cut calls made on it, and the
 * most entries (with their kernel-memory estimate) and the most pinned bytes it held after any map or cut, so a replay sees
 * the true peak even inside one conversion. A failed call counts too: the ioctl was made. Every call is also a
 * {@link DmaCallEvent} with its duration when a JFR recording enables it.
 */
final class CountingBackend extends ForwardingDmaBackend {
  private static final jdk.jfr.EventType EVENT_TYPE = jdk.jfr.EventType.getEventType(DmaCallEvent.class);
  private long mapCalls;
  private long unmapCalls;
  private long cutCalls;
  private long peakEntries;
  private long peakKernelBytes;
  private long peakPinnedBytes;
  /** The region the calls are made for, which the events carry; null until the path is attached to one. */
  private String region;

  CountingBackend(DmaBackend delegate) {
    super(delegate);
  }

  /** The region whose mapping listener makes the calls from now on (its {@code AttributeManager.name()}). */
  void region(String name) {
    this.region = name;
  }

  long mapCalls() {
    return mapCalls;
  }

  long unmapCalls() {
    return unmapCalls;
  }

  long cutCalls() {
    return cutCalls;
  }

  long peakEntries() {
    return peakEntries;
  }

  long peakKernelBytes() {
    return peakKernelBytes;
  }

  long peakPinnedBytes() {
    return peakPinnedBytes;
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    mapCalls++;
    recorded("map", iova, length, true, () -> {
      delegate.map(iova, length, vaddr, readable, writable);
      return 0;
    });
  }

  /**
   * Makes {@code call}, then notes the peaks if it can add entries or pins ({@code peaks}), and records it as a
   * {@link DmaCallEvent} with its duration when a recording wants that (no allocation per call otherwise).
   */
  private long recorded(String operation, long iova, long length, boolean peaks, LongSupplier call) {
    DmaCallEvent event = EVENT_TYPE.isEnabled() ? new DmaCallEvent() : null;
    if (event != null) {
      event.begin();
    }
    boolean failed = true;
    try {
      long result = call.getAsLong();
      failed = false;
      return result;
    } finally {
      if (peaks) {
        notePeaks();
      }
      if (event != null) {
        event.end();
        if (event.shouldCommit()) {
          event.backend = delegate.name();
          event.region = region;
          event.operation = operation;
          event.iova = iova;
          event.length = length;
          event.entriesAfter = delegate.entries();
          event.failed = failed;
          event.commit();
        }
      }
    }
  }

  /** After every call that can add entries or pins: a map, and a cut (which leaves two pieces of one mapping). */
  private void notePeaks() {
    long entries = delegate.entries();
    if (entries > peakEntries) {
      peakEntries = entries;
      peakKernelBytes = delegate.kernelBytesEstimate();
    }
    long pinned = delegate.pinnedBytes();
    if (pinned > peakPinnedBytes) {
      peakPinnedBytes = pinned;
    }
  }

  @Override
  public long unmap(long iova, long length) {
    unmapCalls++;
    return recorded("unmap", iova, length, false, () -> delegate.unmap(iova, length));
  }

  @Override
  public long cut(long iova, long length) {
    cutCalls++;
    return recorded("cut", iova, length, true, () -> delegate.cut(iova, length));
  }

  @Override
  public long unmapAll() {
    unmapCalls++;
    return recorded("unmapAll", 0, 0, false, delegate::unmapAll);
  }
}
