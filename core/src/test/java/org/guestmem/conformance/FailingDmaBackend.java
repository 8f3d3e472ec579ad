package org.guestmem.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.ForwardingDmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MappingRun;

/**
 * Wraps a back-end and makes one mutating call (map, unmap, cut) fail, once per arming, as a kernel would.
 *
 * <p>Two ways to arm it:
 *
 * <ul>
 *   <li>{@link #failOn(long, Mode)}: the k-th mutating call of any kind; {@link Mode#BEFORE} fails without doing
 *       anything (ENOMEM on map, EBUSY on unmap/cut); {@link Mode#PARTIAL} makes an unmap or cut remove the first
 *       whole mapping of its range before failing, as iommufd's non-atomic walk can.
 *   <li>{@link #failOn(long, Fault, int)}: the k-th call of the fault's {@link Call kind} fails with the fault's
 *       ioctl name and errno, after doing what the kernel has done by the time it returns that errno
 *       ({@link Effect}): nothing (every type1 error, every map error), the ascending walk's removal of
 *       {@code walk} whole mappings (iommufd's {@code IOMMU_IOAS_UNMAP} ENOENT/EBUSY), or the cuts at the ends of a
 *       compat unmap without the unmap.
 * </ul>
 *
 * <p>The partial effects are made with ordinary calls on the delegate, so a back-end (or a recorder such as a shadow
 * IOMMU) underneath sees a sequence of successful calls that leaves the kernel's post-failure state.
 *
 * <p>Not thread-safe; callers serialize on this object (the mapping listener does, because it synchronizes on the
 * back-end it was given).
 */
public final class FailingDmaBackend extends ForwardingDmaBackend {
  /** How a {@link Mode}-armed failure behaves. */
  public enum Mode { BEFORE, PARTIAL }

  /** The mutating calls of a back-end. */
  public enum Call { MAP, UNMAP, CUT }

  /** What the kernel has already done when it returns the error. */
  public enum Effect {
    /** Nothing: the call is atomic (type1 map and unmap, iommufd map, argument checks). */
    NOTHING,
    /** The ascending walk removed whole mappings of the range before stopping (iommufd {@code IOMMU_IOAS_UNMAP}). */
    WALKED,
    /** A compat cut made its first cut (at the range's last byte) and failed on the second: nothing unmapped. */
    TAIL_CUT,
    /** A compat cut made both cuts, then its walk removed whole mappings before stopping. */
    CUT_AND_WALKED
  }

  /**
   * One failure a kernel can return.
   *
   * @param call the kind of call that fails
   * @param ioctl the ioctl's name as the kernel header spells it
   * @param errno the errno
   * @param effect what the kernel did before returning it
   * @param rule the kernel's reason, as docs/linux-uapi-facts.md gives it
   */
  public record Fault(Call call, String ioctl, Errno errno, Effect effect, String rule) {
    public Fault {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(ioctl, "ioctl");
      Objects.requireNonNull(errno, "errno");
      Objects.requireNonNull(effect, "effect");
      if (call == Call.MAP && effect != Effect.NOTHING) {
        throw new IllegalArgumentException("a failed map maps nothing in either kernel: " + effect);
      }
      if (call == Call.UNMAP && (effect == Effect.TAIL_CUT || effect == Effect.CUT_AND_WALKED)) {
        throw new IllegalArgumentException("a plain unmap never cuts: " + effect);
      }
    }

    @Override
    public String toString() {
      return ioctl + " " + errno + " (" + effect + ")";
    }
  }

  private final Map<Call, Long> calls = new EnumMap<>(Call.class);
  private long failAt = -1;
  private long counted;
  private Mode mode = Mode.BEFORE;
  private Fault fault;
  private int walk;
  private FaultKind raisedAs = FaultKind.RUNTIME;
  private int injected;
  private Thread firedOn;

  public FailingDmaBackend(DmaBackend delegate) {
    super(delegate);
    for (Call c : Call.values()) {
      calls.put(c, 0L);
    }
  }

  /** Fail the {@code k}-th (1-based) mutating call from now on, once. */
  public FailingDmaBackend failOn(long k, Mode mode) {
    this.failAt = k;
    this.counted = 0;
    this.mode = mode;
    this.fault = null;
    return this;
  }

  /**
   * Fail the {@code k}-th (1-based) call of {@code fault.call()}'s kind from now on, once, with {@code fault}.
   *
   * @param walk for {@link Effect#WALKED} and {@link Effect#CUT_AND_WALKED}: how many whole mappings of the range the
   *     walk removes before it stops (capped so that at least one whole mapping, the one it stopped at, stays)
   */
  public FailingDmaBackend failOn(long k, Fault fault, int walk) {
    this.failAt = k;
    this.counted = 0;
    this.fault = Objects.requireNonNull(fault, "fault");
    this.walk = walk;
    return this;
  }

  /**
   * Raise the armed failures as {@code kind}: the kernel's {@link DmaException} itself, or (as a third-party back-end
   * might) an {@link Error} or an undeclared checked exception carrying it. The partial effects are the same.
   */
  public FailingDmaBackend failAs(FaultKind kind) {
    this.raisedAs = Objects.requireNonNull(kind, "kind");
    return this;
  }

  /** Stop failing. */
  public void heal() {
    failAt = -1;
  }

  /** Whether a failure is armed and has not happened yet. */
  public boolean armed() {
    return failAt >= 0;
  }

  /**
   * The thread whose call the last injected failure hit, until that thread {@linkplain #settle settles} it: a caller
   * that arms failures from several threads waits for this to be null, so that a conversion compensating for one
   * failure never meets a second one armed meanwhile.
   */
  public Thread unsettled() {
    return firedOn;
  }

  /** Called by {@code thread} once the conversion it was making when a failure hit it has returned or thrown. */
  public void settle(Thread thread) {
    if (firedOn == thread) {
      firedOn = null;
    }
  }

  /** How many failures were injected. */
  public int injected() {
    return injected;
  }

  /** How many calls of {@code kind} were made through this wrapper, failed ones included. */
  public long calls(Call kind) {
    return calls.get(kind);
  }

  private boolean due(Call kind) {
    calls.merge(kind, 1L, Long::sum);
    if (failAt < 0 || (fault != null && fault.call() != kind)) {
      return false;
    }
    if (++counted == failAt) {
      failAt = -1;
      injected++;
      firedOn = Thread.currentThread();
      return true;
    }
    return false;
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    if (due(Call.MAP)) {
      String args = String.format("iova=0x%x length=0x%x vaddr=0x%x", iova, length, vaddr);
      if (fault == null) {
        throw raisedAs.raise(new DmaException("injected map", Errno.ENOMEM, args, "injected failure"));
      }
      throw raisedAs.raise(injectedFault(args));
    }
    delegate.map(iova, length, vaddr, readable, writable);
  }

  /** A map by file counts and fails as a {@link Call#MAP}. */
  @Override
  public void mapFile(long iova, long length, int fd, long fileOffset, boolean readable, boolean writable) {
    if (due(Call.MAP)) {
      String args = String.format("iova=0x%x length=0x%x fd=%d start=0x%x", iova, length, fd, fileOffset);
      if (fault == null) {
        throw raisedAs.raise(new DmaException("injected map", Errno.ENOMEM, args, "injected failure"));
      }
      throw raisedAs.raise(injectedFault(args));
    }
    delegate.mapFile(iova, length, fd, fileOffset, readable, writable);
  }

  @Override
  public long unmap(long iova, long length) {
    if (due(Call.UNMAP)) {
      failPartly(iova, length, "injected unmap");
    }
    return delegate.unmap(iova, length);
  }

  @Override
  public long cut(long iova, long length) {
    if (due(Call.CUT)) {
      failPartly(iova, length, "injected cut");
    }
    return delegate.cut(iova, length);
  }

  private void failPartly(long iova, long length, String what) {
    String args = String.format("iova=0x%x length=0x%x", iova, length);
    long last = iova + length - 1;
    if (fault == null) {
      if (mode == Mode.PARTIAL) {
        removeWhole(iova, last, 1, false);
      }
      throw raisedAs.raise(new DmaException(what, Errno.EBUSY, args, "injected failure (" + mode + ")"));
    }
    switch (fault.effect()) {
      case NOTHING -> { }
      case WALKED -> removeWhole(iova, last, walk, true);
      case TAIL_CUT -> cutAfter(last);
      case CUT_AND_WALKED -> {
        cutAfter(last);
        if (iova != 0) {
          cutAfter(iova - 1);
        }
        removeWhole(iova, last, walk, true);
      }
    }
    throw raisedAs.raise(injectedFault(args));
  }

  private DmaException injectedFault(String args) {
    return new DmaException(fault.ioctl(), fault.errno(), args, "injected: " + fault.rule());
  }

  /**
   * The walk: removes up to {@code count} whole mappings inside the range, ascending; with {@code stopsAtOne}, never
   * the last of them (the kernel's walk stopped at a mapping, which stays). One unmap per mapping removed.
   */
  private void removeWhole(long first, long last, int count, boolean stopsAtOne) {
    List<MappingRun> whole = new ArrayList<>();
    long wholeCount = 0;
    for (MappingRun run : delegate.mappingRuns()) {
      MappingRun inside = wholeEntriesInside(run, first, last);
      if (inside != null) {
        whole.add(inside);
        wholeCount += inside.count();
      }
    }
    long n = Math.min(count, Math.max(0, wholeCount - (stopsAtOne ? 1 : 0)));
    for (MappingRun run : whole) {
      for (long k = 0; k < run.count() && n > 0; k++, n--) {
        delegate.unmap(run.iova() + k * run.entryLength(), run.entryLength());
      }
    }
  }

  /** The entries of {@code run} lying wholly inside {@code [first, last]}, as a run; null if none does. */
  private static MappingRun wholeEntriesInside(MappingRun run, long first, long last) {
    MappingRun overlapping = run.entriesOverlapping(first, last);
    if (overlapping == null) {
      return null;
    }
    long from = Long.compareUnsigned(overlapping.iova(), first) < 0 ? 1 : 0;
    long to = Long.compareUnsigned(overlapping.last(), last) > 0 ? overlapping.count() - 2 : overlapping.count() - 1;
    if (from > to) {
      return null;
    }
    long skip = from * run.entryLength();
    return new MappingRun(overlapping.iova() + skip, overlapping.vaddr() + skip, run.entryLength(), to - from + 1,
        run.readable(), run.writable());
  }

  /**
   * Splits the mapping holding {@code p} so that {@code p} ends its first piece, leaving every page mapped: the
   * state {@code iopt_area_split} leaves. Made of an unmap of the whole mapping and two maps, which the delegate
   * sees as successful calls.
   */
  private void cutAfter(long p) {
    DmaMapping m = null;
    for (MappingRun run : delegate.mappingRuns()) {
      if (Long.compareUnsigned(run.iova(), p) <= 0 && Long.compareUnsigned(p, run.last()) <= 0) {
        m = run.entry(Long.divideUnsigned(p - run.iova(), run.entryLength()));
        break;
      }
    }
    if (m == null || m.last() == p) {
      return;
    }
    long head = p - m.iova() + 1;
    delegate.unmap(m.iova(), m.length());
    delegate.map(m.iova(), head, m.vaddr(), m.readable(), m.writable());
    delegate.map(p + 1, m.length() - head, m.vaddr() + head, m.readable(), m.writable());
  }

}
