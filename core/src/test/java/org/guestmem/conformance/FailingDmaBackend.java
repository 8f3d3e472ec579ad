package org.guestmem.conformance;

import java.util.List;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;

/**
 * Wraps a back-end and makes its k-th mutating call (map, unmap, cut) fail, once per arming, as a kernel would:
 * {@link Mode#BEFORE} fails without doing anything (ENOMEM on map, EBUSY on unmap/cut); {@link Mode#PARTIAL} makes
 * an unmap or cut remove the first whole mapping of its range before failing, as iommufd's non-atomic walk can.
 */
public final class FailingDmaBackend implements DmaBackend {
  /** How an injected failure behaves. */
  public enum Mode { BEFORE, PARTIAL }

  private final DmaBackend delegate;
  private long failAt = -1;
  private long counted;
  private Mode mode = Mode.BEFORE;
  private int injected;

  public FailingDmaBackend(DmaBackend delegate) {
    this.delegate = delegate;
  }

  /** Fail the {@code k}-th (1-based) mutating call from now on, once. */
  public FailingDmaBackend failOn(long k, Mode mode) {
    this.failAt = k;
    this.counted = 0;
    this.mode = mode;
    return this;
  }

  /** Stop failing. */
  public void heal() {
    failAt = -1;
  }

  /** How many failures were injected. */
  public int injected() {
    return injected;
  }

  private boolean due() {
    if (failAt < 0) {
      return false;
    }
    if (++counted == failAt) {
      failAt = -1;
      injected++;
      return true;
    }
    return false;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public DmaCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    if (due()) {
      throw new DmaException("injected map", Errno.ENOMEM,
          String.format("iova=0x%x length=0x%x", iova, length), "injected failure");
    }
    delegate.map(iova, length, vaddr, readable, writable);
  }

  @Override
  public long unmap(long iova, long length) {
    if (due()) {
      failPartly(iova, length, "injected unmap");
    }
    return delegate.unmap(iova, length);
  }

  @Override
  public long cut(long iova, long length) {
    if (due()) {
      failPartly(iova, length, "injected cut");
    }
    return delegate.cut(iova, length);
  }

  private void failPartly(long iova, long length, String what) {
    if (mode == Mode.PARTIAL) {
      long last = iova + length - 1;
      for (DmaMapping m : delegate.mappings()) {
        if (Long.compareUnsigned(m.iova(), iova) >= 0 && Long.compareUnsigned(m.last(), last) <= 0) {
          delegate.unmap(m.iova(), m.length());
          break;
        }
      }
    }
    throw new DmaException(what, Errno.EBUSY, String.format("iova=0x%x length=0x%x", iova, length),
        "injected failure (" + mode + ")");
  }

  @Override
  public long unmapAll() {
    return delegate.unmapAll();
  }

  @Override
  public List<DmaMapping> mappings() {
    return delegate.mappings();
  }

  @Override
  public long entries() {
    return delegate.entries();
  }

  @Override
  public long pinnedBytes() {
    return delegate.pinnedBytes();
  }

  @Override
  public long kernelBytesEstimate() {
    return delegate.kernelBytesEstimate();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
