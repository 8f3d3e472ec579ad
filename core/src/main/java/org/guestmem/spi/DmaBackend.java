package org.guestmem.spi;

/**
 * One IOMMU address space that DMA mappings are made in: a VFIO type1 container, an iommufd IOAS, or an embedded
 * model of either that enforces the same rules.
 *
 * <p>Operations follow the kernel's semantics exactly, including its refusals: an overlapping map fails with
 * {@link Errno#EEXIST}, an unmap that would bisect a mapping fails (type1: {@link Errno#EINVAL}, nothing removed;
 * iommufd: {@link Errno#ENOENT}, possibly after removing earlier whole mappings). Every failure is a
 * {@link DmaException} carrying the ioctl, the errno and the arguments.
 *
 * <p>Implementations are not required to be thread-safe; the mapping listener serializes calls per back-end.
 */
public interface DmaBackend extends AutoCloseable {

  /** The provider name this back-end was opened by, e.g. {@code "vfio-type1"}. */
  String name();

  /** What this address space supports now (the remaining-entry count changes as mappings are made). */
  DmaCapabilities capabilities();

  /**
   * Maps {@code [iova, iova + length)} to the user-space range starting at {@code vaddr}.
   *
   * @throws DmaException with the kernel's errno: EEXIST on overlap, ENOSPC past the entry limit, EINVAL on
   *     misalignment or a zero length, ENOMEM past the pinning limit, and so on
   */
  void map(long iova, long length, long vaddr, boolean readable, boolean writable);

  /**
   * Unmaps every mapping inside {@code [iova, iova + length)} and returns the bytes removed. A range that holds
   * no mapping removes nothing and returns 0.
   *
   * @throws DmaException when the range cuts a mapping the back-end cannot cut, with the kernel's errno
   */
  long unmap(long iova, long length);

  /** Unmaps everything and returns the bytes removed. */
  long unmapAll();

  /**
   * Splits the mapping that contains {@code iova} into {@code [start, iova)} and {@code [iova, end)}, leaving both
   * mapped, so that either can later be unmapped exactly. A no-op if {@code iova} is already a mapping boundary or
   * is not mapped.
   *
   * @throws UnsupportedOperationException if {@link DmaCapabilities#canSplit()} is false, saying why
   */
  void split(long iova);

  /** Number of mappings (type1 {@code vfio_dma} entries, iommufd areas) currently held. */
  long entries();

  /** Bytes currently pinned on behalf of this address space. */
  long pinnedBytes();

  /** Kernel memory the current mappings cost (96 B per type1 entry, 384 B per iommufd area). */
  long kernelBytesEstimate();

  /** Unmaps everything this back-end mapped and releases its file descriptors. Idempotent. */
  @Override
  void close();
}
