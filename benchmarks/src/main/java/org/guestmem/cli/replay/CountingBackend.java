package org.guestmem.cli.replay;

import java.util.List;
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

  CountingBackend(DmaBackend delegate) {
    super(delegate);
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
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      delegate.map(iova, length, vaddr, readable, writable);
      failed = false;
    } finally {
      notePeaks();
      commit(event, "map", iova, length, failed);
    }
  }

  /** A started JFR event when a recording wants it, else null (no allocation per call without a recording). */
  private static DmaCallEvent begin() {
    if (!EVENT_TYPE.isEnabled()) {
      return null;
    }
    DmaCallEvent event = new DmaCallEvent();
    event.begin();
    return event;
  }

  private void commit(DmaCallEvent event, String operation, long iova, long length, boolean failed) {
    if (event == null) {
      return;
    }
    event.end();
    if (event.shouldCommit()) {
      event.backend = delegate.name();
      event.operation = operation;
      event.iova = iova;
      event.length = length;
      event.entriesAfter = delegate.entries();
      event.failed = failed;
      event.commit();
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
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      long removed = delegate.unmap(iova, length);
      failed = false;
      return removed;
    } finally {
      commit(event, "unmap", iova, length, failed);
    }
  }

  @Override
  public long cut(long iova, long length) {
    cutCalls++;
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      long removed = delegate.cut(iova, length);
      failed = false;
      return removed;
    } finally {
      notePeaks();
      commit(event, "cut", iova, length, failed);
    }
  }

  @Override
  public long unmapAll() {
    unmapCalls++;
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      long removed = delegate.unmapAll();
      failed = false;
      return removed;
    } finally {
      commit(event, "unmapAll", 0, 0, failed);
    }
  }

}
