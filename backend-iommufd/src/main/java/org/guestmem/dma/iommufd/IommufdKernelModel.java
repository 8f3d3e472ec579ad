package org.guestmem.dma.iommufd;

import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA;
import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_READABLE;
import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_WRITEABLE;
import static org.guestmem.linux.iommufd.Iommufd.IOMMU_OPTION_HUGE_PAGES;
import static org.guestmem.spi.IovaRange.lastOf;
import static org.guestmem.spi.IovaRange.wraps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.guestmem.dma.backend.MappingTable;
import org.guestmem.linux.vfio.Vfio;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;
import org.guestmem.spi.MappingRunVisitor;

/**
 * The embedded model of one iommufd context with one IOAS: the rules of {@code iommufd_ioas_map},
 * {@code iopt_unmap_iova_range}, {@code iommufd_option}, {@code iommufd_vfio_unmap_dma} (docs/linux-uapi-facts.md 1.4, 2c-2e,
 * 2f and the appendix checked on a real 6.12 kernel):
 *
 * <ul>
 *   <li>map ({@code IOMMU_IOAS_MAP}, and {@code IOMMU_IOAS_MAP_FILE} with the file offset {@code start} in place of
 *       {@code user_va}, plus EBADF for a descriptor that is not open: docs/architecture.md, "File-backed DMA
 *       mappings"): unknown flags EOPNOTSUPP; a wrapping range EOVERFLOW; neither READABLE nor WRITEABLE, a zero
 *       length, or {@code iova}, {@code length} or the page offset of {@code user_va} not a multiple of the IOVA
 *       alignment: EINVAL; outside the usable ranges (reserved IOVA) EINVAL; any overlap EEXIST; past the
 *       locked-memory limit ENOMEM (only with a domain attached: without one nothing is pinned); no entry limit;
 *   <li>{@code IOMMU_IOAS_UNMAP}: {@code (0, U64_MAX)} unmaps everything; a zero length EINVAL; a wrapping range
 *       EOVERFLOW; otherwise the areas overlapping the range are removed in ascending IOVA order and the first one
 *       that starts before the range or ends after it stops the walk with ENOENT, <em>after</em> the earlier whole
 *       areas were removed (not atomic); nothing removed at all is ENOENT too;
 *   <li>{@code IOMMU_OPTION(HUGE_PAGES, 0)} is refused with EINVAL once a domain is attached and areas exist (set it
 *       before the first map); it forces the IOVA alignment to the page size;
 *   <li>{@code VFIO_IOMMU_UNMAP_DMA} on the iommufd needs the compat IOAS ({@code IOMMU_VFIO_IOAS SET}, else ENODEV);
 *       with huge pages off it first cuts the areas at the last byte of the range and just before its first byte
 *       (EINVAL for a cut point not on a page boundary), then unmaps the now exact range; an empty range returns 0;
 *       flags other than {@code ALL} are EINVAL. With huge pages on it cuts nothing and fails as the native unmap.
 * </ul>
 *
 * <p>The default models a device attached behind VT-d on x86_64 (IOVA ranges without the interrupt window,
 * 4 KiB alignment, pinning at map time); {@code domain=false} models an IOAS with no device (one range
 * {@code [0, U64_MAX]}, alignment 1, lazy pinning: nothing pinned).
 */
public final class IommufdKernelModel implements IommufdContext {
  static final long PAGE_SIZE = 4096;
  /** The ranges with a VT-d domain attached: a 48-bit aperture minus the interrupt window. */
  public static final List<IovaRange> DOMAIN_IOVA_RANGES =
      List.of(new IovaRange(0, 0xfedf_ffffL), new IovaRange(0xfef0_0000L, (1L << 48) - 1));
  private static final List<IovaRange> WHOLE_SPACE = List.of(new IovaRange(0, -1L));

  private final boolean domain;
  private final long memlockLimit;
  private final boolean lockCap;
  private final MappingTable areas = new MappingTable();
  private boolean hugePagesDisabled;
  private boolean compatIoas;
  private long pinned;
  private boolean closed;

  /**
   * @param domain whether a device is attached (a domain exists), which makes maps pin and sets the alignment to 4K
   * @param memlockLimit RLIMIT_MEMLOCK in bytes ({@link Long#MAX_VALUE}: unlimited)
   * @param lockCap whether the process has {@code CAP_IPC_LOCK} (no accounting at all)
   */
  public IommufdKernelModel(boolean domain, long memlockLimit, boolean lockCap) {
    if (memlockLimit < 0) {
      throw new IllegalArgumentException("memlock limit " + memlockLimit + " must not be negative");
    }
    this.domain = domain;
    this.memlockLimit = memlockLimit;
    this.lockCap = lockCap;
  }

  /**
   * {@code IOMMU_OPTION} with op SET on the IOAS (object id 1).
   *
   * @param optionId the option; only {@code IOMMU_OPTION_HUGE_PAGES} is modelled
   * @param objectId the IOAS, which is 1
   * @param value 0 or 1
   * @throws DmaException ENOENT for another object, EINVAL for an unknown option or value, or HUGE_PAGES=0 once a
   *     domain is attached and areas exist
   */
  public void setOption(int optionId, int objectId, long value) {
    String ioctl = "IOMMU_OPTION";
    checkOpen(ioctl);
    String args = String.format("option_id=%d op=SET object_id=%d val64=%d", optionId, objectId, value);
    if (optionId != IOMMU_OPTION_HUGE_PAGES) {
      throw new DmaException(ioctl, Errno.EINVAL, args, "only IOMMU_OPTION_HUGE_PAGES is modelled");
    }
    if (objectId != 1) {
      throw new DmaException(ioctl, Errno.ENOENT, args, "no IOAS with that id");
    }
    if (value != 0 && value != 1) {
      throw new DmaException(ioctl, Errno.EINVAL, args, "HUGE_PAGES is 0 or 1");
    }
    if (value == 0 && !hugePagesDisabled && domain && !areas.isEmpty()) {
      throw new DmaException(ioctl, Errno.EINVAL, args,
          "iopt_disable_large_pages: a domain is attached and areas exist; set HUGE_PAGES=0 before the first map");
    }
    hugePagesDisabled = value == 0;
  }

  /**
   * {@code IOMMU_VFIO_IOAS} SET: makes the IOAS the compat IOAS of this context.
   *
   * @param ioasId the IOAS, which is 1
   * @throws DmaException ENOENT for another id
   */
  public void setVfioIoas(int ioasId) {
    checkOpen("IOMMU_VFIO_IOAS");
    if (ioasId != 1) {
      throw new DmaException("IOMMU_VFIO_IOAS", Errno.ENOENT, "ioas_id=" + ioasId + " op=SET", "no such IOAS");
    }
    compatIoas = true;
  }

  private long alignment() {
    return domain || hugePagesDisabled ? PAGE_SIZE : 1;
  }

  @Override
  public Ranges iovaRanges() {
    checkOpen("IOMMU_IOAS_IOVA_RANGES");
    return new Ranges(usableRanges(), alignment());
  }

  private List<IovaRange> usableRanges() {
    return domain ? DOMAIN_IOVA_RANGES : WHOLE_SPACE;
  }

  @Override
  public void map(long userVa, long length, long iova, int flags) {
    checkOpen("IOMMU_IOAS_MAP");
    insert(false, -1, userVa, length, iova, flags);
  }

  /**
   * {@code IOMMU_IOAS_MAP_FILE}: the rules of {@link #map} with {@code start} (the file offset) in place of
   * {@code user_va}, and EBADF, after the flag checks and before the others, when {@code fd} is not an open
   * descriptor of this process. Which file types the kernel accepts (its pin path takes memfds) is not modelled.
   */
  @Override
  public void mapFile(int fd, long start, long length, long iova, int flags) {
    checkOpen("IOMMU_IOAS_MAP_FILE");
    insert(true, fd, start, length, iova, flags);
  }

  /** One area at {@code iova} of user memory or ({@code byFile}) of file {@code fd}, from {@code address} on. */
  private void insert(boolean byFile, int fd, long address, long length, long iova, int flags) {
    int known = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
    if ((flags & ~known) != 0) {
      throw mapRefused(byFile, Errno.EOPNOTSUPP, fd, flags, address, length, iova, "unknown flags");
    }
    if ((flags & IOMMU_IOAS_MAP_FIXED_IOVA) == 0) {
      throw mapRefused(byFile, Errno.EINVAL, fd, flags, address, length, iova,
          "automatic IOVA allocation is not modelled");
    }
    if (length != 0 && (wraps(iova, length) || wraps(address, length))) {
      throw mapRefused(byFile, Errno.EOVERFLOW, fd, flags, address, length, iova,
          "the range wraps the 64-bit space");
    }
    if ((flags & (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)) == 0) {
      throw mapRefused(byFile, Errno.EINVAL, fd, flags, address, length, iova, "neither READABLE nor WRITEABLE");
    }
    if (byFile && (fd < 0 || !Files.exists(Path.of("/proc/self/fd/" + fd)))) {
      // The kernel's fget fails before it looks at the range.
      throw mapRefused(byFile, Errno.EBADF, fd, flags, address, length, iova, "fd is not an open file descriptor");
    }
    long align = alignment();
    if (length == 0 || length % align != 0 || iova % align != 0) {
      throw mapRefused(byFile, Errno.EINVAL, fd, flags, address, length, iova, String.format(
          "length must be non-zero and iova and length multiples of the IOVA alignment 0x%x", align));
    }
    if (!inRanges(iova, length)) {
      throw mapRefused(byFile, Errno.EINVAL, fd, flags, address, length, iova,
          "the range hits a reserved IOVA: usable " + usableRanges());
    }
    long last = lastOf(iova, length);
    if (areas.overlaps(iova, last)) {
      throw mapRefused(byFile, Errno.EEXIST, fd, flags, address, length, iova,
          "overlaps the area " + areas.firstEntryIn(iova, last));
    }
    // Linux 6.12 checks overlap (iopt_check_iova) before the page offset of user_va (iopt_insert_area).
    if ((address % PAGE_SIZE) % align != 0) {
      throw mapRefused(byFile, Errno.EINVAL, fd, flags, address, length, iova, String.format(
          "the page offset of %s must be a multiple of the IOVA alignment 0x%x", byFile ? "start" : "user_va",
          align));
    }
    long pin = domain ? pages(address, length) * PAGE_SIZE : 0;
    if (pin > 0 && !lockCap && Long.compareUnsigned(pinned + pin, memlockLimit) > 0) {
      throw mapRefused(byFile, Errno.ENOMEM, fd, flags, address, length, iova, String.format(
          "RLIMIT_MEMLOCK (%d) exceeded: %d bytes pinned", memlockLimit, pinned));
    }
    // A file area is recorded with its file offset as the address: runs carry no file identity (the caller that
    // chose the file knows it), and every rule above reads the address only for its page offset.
    areas.add(iova, length, address, (flags & IOMMU_IOAS_MAP_READABLE) != 0,
        (flags & IOMMU_IOAS_MAP_WRITEABLE) != 0);
    pinned += pin;
  }

  /** The arguments are formatted only here, when a call fails: a successful map allocates nothing. */
  private static DmaException mapRefused(boolean byFile, Errno errno, int fd, int flags, long address, long length,
      long iova, String reason) {
    return new DmaException(byFile ? "IOMMU_IOAS_MAP_FILE" : "IOMMU_IOAS_MAP", errno,
        mapArgs(byFile, fd, flags, address, length, iova), reason);
  }

  private static String mapArgs(boolean byFile, int fd, int flags, long address, long length, long iova) {
    return !byFile
        ? String.format("ioas_id=1 flags=0x%x user_va=0x%x length=0x%x iova=0x%x", flags, address, length, iova)
        : String.format("ioas_id=1 flags=0x%x fd=%d start=0x%x length=0x%x iova=0x%x", flags, fd, address, length,
            iova);
  }

  /** Which unmap ioctl a walk serves, to name it and its arguments if it fails. */
  private enum Unmap {
    NATIVE("IOMMU_IOAS_UNMAP"),
    COMPAT("VFIO_IOMMU_UNMAP_DMA");

    final String ioctl;

    Unmap(String ioctl) {
      this.ioctl = ioctl;
    }

    DmaException refused(Errno errno, long iova, long length, int flags, String reason) {
      String args = this == NATIVE ? String.format("ioas_id=1 iova=0x%x length=0x%x", iova, length)
          : String.format("iova=0x%x size=0x%x flags=0x%x", iova, length, flags);
      return new DmaException(ioctl, errno, args, reason);
    }
  }

  @Override
  public long unmap(long iova, long length) {
    checkOpen(Unmap.NATIVE.ioctl);
    if (iova == 0 && length == -1L) {
      return removeAll();
    }
    if (length == 0) {
      throw Unmap.NATIVE.refused(Errno.EINVAL, iova, length, 0, "length is 0");
    }
    if (wraps(iova, length)) {
      throw Unmap.NATIVE.refused(Errno.EOVERFLOW, iova, length, 0, "the range wraps the 64-bit space");
    }
    long unmapped = walk(Unmap.NATIVE, iova, length, 0);
    if (unmapped == 0) {
      throw Unmap.NATIVE.refused(Errno.ENOENT, iova, length, 0, "no area inside the range");
    }
    return unmapped;
  }

  /**
   * The kernel's ascending walk: removes whole areas, ENOENT at the first it would have to cut. Only the first and
   * the last area the range overlaps can be cut; every area is its own entry of the table, so an area inside a run
   * of equal areas is whole.
   */
  private long walk(Unmap call, long iova, long length, int flags) {
    long last = lastOf(iova, length);
    if (areas.entryContinuesAfter(iova - 1)) {
      throw cutRefused(call, iova, length, flags, areas.entryAt(iova), 0);
    }
    long unmapped = removeInside(iova, last);
    if (areas.entryContinuesAfter(last)) {
      throw cutRefused(call, iova, length, flags, areas.entryAt(last), unmapped);
    }
    return unmapped;
  }

  private static DmaException cutRefused(Unmap call, long iova, long length, int flags, DmaMapping area,
      long unmapped) {
    return call.refused(Errno.ENOENT, iova, length, flags, String.format("the range cuts the area %s (iommufd "
        + "never splits on unmap); 0x%x bytes of earlier areas were already unmapped", area, unmapped));
  }

  @Override
  public long compatUnmap(long iova, long size, int flags) {
    checkOpen(Unmap.COMPAT.ioctl);
    if (!compatIoas) {
      throw Unmap.COMPAT.refused(Errno.ENODEV, iova, size, flags,
          "no compat IOAS (IOMMU_VFIO_IOAS SET was not done)");
    }
    if ((flags & ~Vfio.VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
      throw Unmap.COMPAT.refused(Errno.EINVAL, iova, size, flags, "iommufd's compat unmap supports only FLAG_ALL");
    }
    if ((flags & Vfio.VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
      return removeAll();
    }
    if (size == 0) {
      throw Unmap.COMPAT.refused(Errno.EINVAL, iova, size, flags, "size is 0");
    }
    if (wraps(iova, size)) {
      throw Unmap.COMPAT.refused(Errno.EOVERFLOW, iova, size, flags, "the range wraps the 64-bit space");
    }
    long last = lastOf(iova, size);
    if (hugePagesDisabled) {
      // iopt_cut_iova: the last byte first, then the byte before the range (none if the range starts at 0).
      cutAfter(iova, size, flags, last);
      if (iova != 0) {
        cutAfter(iova, size, flags, iova - 1);
      }
    }
    return walk(Unmap.COMPAT, iova, size, flags);
  }

  private void cutAfter(long iova, long size, int flags, long lastOfFirstPiece) {
    if (!areas.entryContinuesAfter(lastOfFirstPiece)) {
      return;
    }
    if ((lastOfFirstPiece + 1) % PAGE_SIZE != 0) {
      throw Unmap.COMPAT.refused(Errno.EINVAL, iova, size, flags, String.format(
          "iopt_area_split: cut point 0x%x is not on a page boundary", lastOfFirstPiece + 1));
    }
    areas.splitAfter(lastOfFirstPiece);
  }

  private long removeAll() {
    return unpin(areas.clear());
  }

  /** Removes the areas wholly inside {@code [first, last]} and unpins their pages. */
  private long removeInside(long first, long last) {
    return unpin(areas.removeInside(first, last));
  }

  private long unpin(long removed) {
    if (domain) {
      // With a domain the IOVA alignment is the page size and user_va's page offset a multiple of it, so every
      // area covers whole pages: it pinned exactly its length.
      pinned -= removed;
    }
    return removed;
  }

  private static long pages(long va, long length) {
    long first = va / PAGE_SIZE;
    long last = lastOf(va, length) / PAGE_SIZE;
    return last - first + 1;
  }

  @Override
  public boolean cutsEnabled() {
    return hugePagesDisabled && compatIoas;
  }

  @Override
  public boolean domainAttached() {
    return domain;
  }

  @Override
  public boolean visitMappingRuns(MappingRunVisitor visitor) {
    areas.forEachRun(visitor);
    return true;
  }

  @Override
  public boolean visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    areas.forEachRunOverlapping(first, last, visitor);
    return true;
  }

  @Override
  public long pinnedBytes() {
    return pinned;
  }

  @Override
  public boolean realKernel() {
    return false;
  }

  @Override
  public String description() {
    return "embedded iommufd model, " + (domain ? "a device attached (maps pin)" : "no device attached (no pinning)")
        + (hugePagesDisabled ? ", HUGE_PAGES=0" : "") + (compatIoas ? ", compat IOAS set" : "");
  }

  @Override
  public void close() {
    if (!closed) {
      removeAll();
      closed = true;
    }
  }

  private void checkOpen(String ioctl) {
    if (closed) {
      throw new DmaException(ioctl, Errno.EBADF, "", "the iommufd is closed");
    }
  }

  private boolean inRanges(long iova, long length) {
    List<IovaRange> usable = usableRanges();
    for (int i = 0; i < usable.size(); i++) {
      if (usable.get(i).contains(iova, length)) {
        return true;
      }
    }
    return false;
  }
}
