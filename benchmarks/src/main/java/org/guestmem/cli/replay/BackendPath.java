package org.guestmem.cli.replay;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.MappingRun;

/**
 * A real DMA back-end driven by the project's {@link DmaMappingListener}: what {@code replay} and {@code compare} run
 * for every back-end name other than {@code none}. The back-end is wrapped so that every map, unmap and cut call is
 * counted and the peak entries are seen inside a conversion too.
 *
 * <p>Closing unregisters the listeners (which unmap what they mapped), then checks with
 * {@link MappingAuditor#checkNothingMapped} that the back-end holds and pins nothing, then closes the back-end.
 */
final class BackendPath implements DmaPath {
  private final CountingBackend backend;
  private final MappingPolicy policy;
  private final EntryLimitPolicy entryLimit;
  private final String entryLimitOption;
  /** One listener per attached region (the regions of one guest share the back-end, as QEMU's one IOAS). */
  private final List<DmaMappingListener> listeners = new ArrayList<>();
  private boolean closed;

  /**
   * @param backend the opened back-end; this path owns it from now on
   * @param entryLimitOption the provider option that raises the embedded model's entry limit (e.g.
   *     {@code dma-entry-limit}), named in the error when the preflight finds too few entries; empty if none
   */
  BackendPath(DmaBackend backend, MappingPolicy policy, EntryLimitPolicy entryLimit, String entryLimitOption) {
    this.backend = new CountingBackend(backend);
    this.policy = policy;
    this.entryLimit = entryLimit;
    this.entryLimitOption = entryLimitOption;
  }

  @Override
  public String description() {
    return backend.capabilities().description();
  }

  @Override
  public boolean realKernel() {
    return backend.capabilities().realKernel();
  }

  @Override
  public void attach(AttributeManager region) {
    for (DmaMappingListener l : listeners) {
      if (l.manager() == region) {
        throw new IllegalStateException("this DMA path is already attached to " + region);
      }
    }
    DmaCapabilities caps = backend.capabilities();
    try {
      listeners.add(DmaMappingListener.register(region, backend, policy, entryLimit));
    } catch (DmaConfigurationException e) {
      String hint = "";
      long needed = DmaMappingListener.entriesNeeded(region.layout().size(), region.layout().granularity());
      boolean policyFits = policy != MappingPolicy.COALESCE || caps.canCut();
      if (policyFits && caps.remainingEntries() < needed && !caps.realKernel() && !entryLimitOption.isEmpty()) {
        hint = String.format("; the embedded model takes the limit as an option: --dma-option %s:%s=%d",
            backend.name(), entryLimitOption, backend.entries() + needed);
      }
      throw new UnsupportedCombination(e.getMessage() + hint, e);
    }
  }

  private DmaMappingListener listener() {
    if (listeners.isEmpty()) {
      throw new IllegalStateException("the DMA path is not attached to a region");
    }
    return listeners.get(0);
  }

  @Override
  public long mapCalls() {
    return backend.mapCalls();
  }

  @Override
  public long unmapCalls() {
    return backend.unmapCalls();
  }

  @Override
  public long splitCalls() {
    return backend.cutCalls();
  }

  @Override
  public long entries() {
    return backend.entries();
  }

  @Override
  public long peakEntries() {
    return Math.max(backend.peakEntries(), backend.entries());
  }

  @Override
  public long peakKernelBytes() {
    return backend.peakEntries() >= backend.entries() ? backend.peakKernelBytes() : backend.kernelBytesEstimate();
  }

  @Override
  public long kernelBytes() {
    return backend.kernelBytesEstimate();
  }

  @Override
  public long pinnedBytes() {
    return backend.pinnedBytes();
  }

  @Override
  public long peakPinnedBytes() {
    return Math.max(backend.peakPinnedBytes(), backend.pinnedBytes());
  }

  @Override
  public void sample() {
    // The counting back-end sees every map, so the peaks need no sampling.
  }

  @Override
  public void verify(AttributeManager region) {
    failOn(MappingAuditor.audit(attachedTo(region)));
  }

  @Override
  public void verify(AttributeManager region, long offset, long length) {
    failOn(MappingAuditor.audit(attachedTo(region), offset, length));
  }

  private DmaMappingListener attachedTo(AttributeManager region) {
    for (DmaMappingListener l : listeners) {
      if (l.manager() == region) {
        return l;
      }
    }
    throw new IllegalArgumentException("verify was given a region this path is not attached to");
  }

  private void failOn(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new InvariantViolation(backend.name() + "/" + policy.configName() + ": " + String.join("; ", problems));
    }
  }

  @Override
  public Object[] bookkeeping() {
    Object[] out = new Object[listeners.size() + 1];
    for (int i = 0; i < listeners.size(); i++) {
      out[i] = listeners.get(i).viewForMeasurement();
    }
    out[listeners.size()] = backend;
    return out;
  }

  /** The listeners' views and the back-end's ledger, and the kernel model's table on the embedded path. */
  @Override
  public long bookkeepingRecords() {
    long runs = 0;
    for (DmaMappingListener l : listeners) {
      runs += l.mappingRuns().size();
    }
    return runs * (realKernel() ? 2 : 3);
  }

  /**
   * One pair per mapping (so one per granule with the granule policy) of the region attached first: for tests on
   * small regions.
   */
  @Override
  public List<long[]> held() {
    DmaMappingListener l = listener();
    long iovaBase = l.manager().layout().iovaBase();
    List<long[]> out = new ArrayList<>();
    for (MappingRun run : l.mappingRuns()) {
      long start = run.iova() - iovaBase;
      for (long k = 0; k < run.count(); k++) {
        long at = start + k * run.entryLength();
        out.add(new long[] {at, at + run.entryLength()});
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!listeners.isEmpty()) {
        for (DmaMappingListener l : listeners) {
          l.close();
        }
        MappingAuditor.checkNothingMapped(backend);
      }
    } catch (IllegalStateException e) {
      throw new InvariantViolation("after closing the DMA mapping listener: " + e.getMessage());
    } finally {
      backend.close();
    }
  }
}
