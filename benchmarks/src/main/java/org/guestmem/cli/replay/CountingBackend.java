package org.guestmem.cli.replay;

import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.ForwardingDmaBackend;

/**
 * A {@link DmaBackend} that passes every call to another and counts the map, unmap and cut calls made on it, and the
 * most entries (with their kernel-memory estimate) and the most pinned bytes it held after any map or cut, so a replay sees
 * the true peak even inside one conversion. A failed call counts too: the ioctl was made. (The JFR DmaCall events
 * come from the mapping listener, which records every call it makes on whatever back-end it is given.)
 */
final class CountingBackend extends ForwardingDmaBackend {
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
    try {
      delegate.map(iova, length, vaddr, readable, writable);
    } finally {
      notePeaks();
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
    return delegate.unmap(iova, length);
  }

  @Override
  public long cut(long iova, long length) {
    cutCalls++;
    try {
      return delegate.cut(iova, length);
    } finally {
      notePeaks();
    }
  }

  @Override
  public long unmapAll() {
    unmapCalls++;
    return delegate.unmapAll();
  }
}
