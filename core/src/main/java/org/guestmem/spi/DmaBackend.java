package org.guestmem.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * One IOMMU address space that DMA mappings are made in: a VFIO type1 container, an iommufd IOAS, or an embedded
 * model of either that enforces the same rules.
 *
 * <p>Operations follow the kernel's semantics exactly, including its refusals: an overlapping map fails with
 * {@link Errno#EEXIST}; an {@link #unmap} that would bisect a mapping fails (type1v2: {@link Errno#EINVAL}, nothing
 * removed; iommufd: {@link Errno#ENOENT}, possibly after removing earlier whole mappings, because the kernel walks
 * the range in ascending order and stops at the first mapping it would have to cut). Every failure is a
 * {@link DmaException} carrying the ioctl, the errno and the arguments.
 *
 * <p><b>No pure split.</b> No kernel offers an operation that splits a mapping and leaves both halves mapped: the only
 * way a mapping gets smaller is iommufd's VFIO-compat unmap with huge pages disabled, which cuts the areas at the
 * ends of the range <em>and</em> unmaps the range. That is what {@link #cut} expresses; {@link DmaCapabilities#canCut()}
 * says whether this address space can do it, and {@link DmaCapabilities#cutLimitation()} says why not.
 *
 * <p>Implementations are not required to be thread-safe; callers serialize calls per back-end (the mapping listener
 * does, because notifications of one region never run concurrently).
 */
public interface DmaBackend extends AutoCloseable {

  /** {@return the provider name this back-end was opened by, e.g. {@code "vfio-type1"}} */
  String name();

  /** {@return what this address space supports now (the remaining-entry count changes as mappings are made)} */
  DmaCapabilities capabilities();

  /**
   * Maps {@code [iova, iova + length)} to the user-space range starting at {@code vaddr}, as one mapping (one type1
   * {@code vfio_dma}, one iommufd area).
   *
   * @param iova first IOVA of the mapping
   * @param length length in bytes
   * @param vaddr user address of the first byte
   * @param readable whether the device may read the memory
   * @param writable whether the device may write the memory
   * @throws DmaException with the kernel's errno: EEXIST on overlap, ENOSPC past the entry limit, EINVAL on
   *     misalignment, a zero length, no access flag or an IOVA outside the usable ranges, EOVERFLOW (newer kernels;
   *     EINVAL on older ones) when the range wraps, ENOMEM past the pinning limit. Nothing is mapped on failure.
   */
  void map(long iova, long length, long vaddr, boolean readable, boolean writable);

  /**
   * Empty when {@link #mapFile} works on this address space; otherwise why not, in the kernel's terms (the
   * default: the back-end maps user addresses only). Constant for the back-end's lifetime.
   *
   * @return why {@link #mapFile} is refused, or empty
   */
  default String mapFileLimitation() {
    return name() + " maps user addresses only: it has no file-backed DMA mapping";
  }

  /**
   * Maps {@code [iova, iova + length)} to the pages of the file {@code fd} from byte {@code fileOffset} on, as one
   * mapping (iommufd's {@code IOMMU_IOAS_MAP_FILE}, for a memfd): the kernel pins the file's pages, not those of a
   * user mapping, so the mapping does not depend on where (or whether) the file is mapped in this process. The rules
   * are those of {@link #map}, with the file offset in place of the user address (alignment of its page offset
   * included), and EBADF when {@code fd} is not an open file.
   *
   * <p>{@link #visitMappingRuns} reports such a mapping with {@code fileOffset} in the address column
   * ({@link MappingRun#vaddr()}): runs carry no file identity, so the caller that chose the file knows how to read
   * it (see docs/architecture.md, "File-backed DMA mappings").
   *
   * @param iova first IOVA of the mapping
   * @param length length in bytes
   * @param fd the file whose pages are mapped (a memfd)
   * @param fileOffset offset in the file of the first byte
   * @param readable whether the device may read the memory
   * @param writable whether the device may write the memory
   * @throws UnsupportedOperationException if {@link #mapFileLimitation()} is not empty, with it as the message
   * @throws DmaException with the kernel's errno, as for {@link #map}, and EBADF for a bad descriptor. Nothing is
   *     mapped on failure.
   */
  default void mapFile(long iova, long length, int fd, long fileOffset, boolean readable, boolean writable) {
    throw new UnsupportedOperationException(mapFileLimitation());
  }

  /**
   * Unmaps every mapping lying wholly inside {@code [iova, iova + length)} and returns the bytes removed. Never cuts:
   * a range whose ends fall inside a mapping fails (type1v2: EINVAL, nothing removed; iommufd: ENOENT after removing
   * the whole mappings the ascending walk met before the cut one). A range that holds no mapping returns 0 on type1
   * and fails with ENOENT on iommufd, as the kernels do.
   *
   * @param iova first IOVA of the range
   * @param length length of the range in bytes
   * @return the bytes removed
   * @throws DmaException with the kernel's errno
   */
  long unmap(long iova, long length);

  /**
   * Unmaps exactly {@code [iova, iova + length)}: a mapping that straddles either end is first cut there, and its
   * pieces outside the range stay mapped (iommufd's {@code VFIO_IOMMU_UNMAP_DMA} on the IOAS with huge pages off).
   * Holes in the range are fine. Returns the bytes unmapped.
   *
   * <p>As in the kernel, the cuts are made before the unmap: if a cut fails, cuts already made stay (which changes
   * no mapped page, only where mappings begin and end) and nothing is unmapped.
   *
   * @param iova first IOVA of the range
   * @param length length of the range in bytes
   * @return the bytes unmapped
   * @throws UnsupportedOperationException if {@link DmaCapabilities#canCut()} is false, with
   *     {@link DmaCapabilities#cutLimitation()} as the message
   * @throws DmaException with the kernel's errno, e.g. EINVAL for a cut point not aligned to the IOMMU page size
   */
  long cut(long iova, long length);

  /**
   * Unmaps everything and returns the bytes removed.
   *
   * @return the bytes removed
   * @throws DmaException with the kernel's errno
   */
  long unmapAll();

  /**
   * Walks the mappings held now as runs of uniform mappings ({@link MappingRun}), ascending by IOVA, in time
   * proportional to the number of runs, not of mappings: the way to scan a back-end that holds millions of granule
   * mappings. For the embedded model this is the model's own state. The kernel has no ioctl that lists mappings, so
   * on the real kernel this is the back-end's ledger of its own calls: successful calls applied as the kernel reports
   * them, failed ones by the kernel's documented rules (e.g. iommufd's non-atomic walk).
   *
   * <p>Runs are disjoint and ascending; the back-ends of this project report maximal runs (no run
   * {@linkplain MappingRun#continuedBy continues} the one before). Others may split a maximal run in several: a
   * caller that compares runs normalizes them with {@link MappingRun#maximal}. The visitor must not call this
   * back-end's mutating methods.
   *
   * @param visitor called once per run, in IOVA order
   */
  void visitMappingRuns(MappingRunVisitor visitor);

  /**
   * As {@link #visitMappingRuns(MappingRunVisitor)}, for the runs overlapping {@code [first, last]} (inclusive,
   * unsigned): whole runs, which may reach past either end. The default filters the whole walk; the back-ends of this
   * project answer in time proportional to the runs visited, which is what lets a check after one conversion cost
   * what that conversion touched.
   *
   * @param first first IOVA of the window, inclusive
   * @param last last IOVA of the window, inclusive
   * @param visitor called once per overlapping run, in IOVA order
   */
  default void visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    visitMappingRuns(run -> {
      if (IovaRange.overlaps(run.iova(), run.last(), first, last)) {
        visitor.visit(run);
      }
    });
  }

  /** {@return the runs {@link #visitMappingRuns} walks, as a list (one object per run)} */
  default List<MappingRun> mappingRuns() {
    List<MappingRun> runs = new ArrayList<>();
    visitMappingRuns(runs::add);
    return runs;
  }

  /**
   * The mappings held now, one object per mapping, ascending by IOVA: a convenience for small address spaces (tests,
   * diagnostics), built from {@link #visitMappingRuns}. Scans of large ones use {@link #visitMappingRuns}.
   *
   * @return the mappings, a new list
   */
  default List<DmaMapping> mappings() {
    List<DmaMapping> out = new ArrayList<>();
    visitMappingRuns(run -> run.addEntriesTo(out));
    return out;
  }

  /** {@return number of mappings (type1 {@code vfio_dma} entries, iommufd areas) currently held} */
  long entries();

  /** {@return bytes currently pinned on behalf of this address space (what counts against RLIMIT_MEMLOCK)} */
  long pinnedBytes();

  /**
   * {@return kernel memory the current mappings cost: {@link #entries()} times
   * {@link DmaCapabilities#kernelBytesPerEntry()}}
   */
  long kernelBytesEstimate();

  /** Unmaps everything this back-end mapped and releases its file descriptors. Idempotent. */
  @Override
  void close();
}
