package org.guestmem.spi;

/**
 * Applies a conversion to the guest memory itself: KVM's private/shared attribute of one guest RAM region, by region
 * offset (the back-end translates to guest_memfd file offsets or guest-physical addresses). The attribute manager
 * calls it between unmapping and committing a conversion to private, and before committing and mapping a
 * conversion to shared.
 *
 * <p>Not thread-safe: the region's lock serializes calls. Every range is in bytes, aligned to
 * {@link MemoryAttributeCapabilities#pageSize()}, inside the region the back-end was opened for.
 */
public interface MemoryAttributeBackend extends AutoCloseable {

  /** {@return the provider name, e.g. {@code guest-memfd}} */
  String name();

  /** {@return what conversions go through, and which path} */
  MemoryAttributeCapabilities capabilities();

  /**
   * Sets {@code [offset, offset + length)} of the region shared ({@code shared == true}) or private. All or
   * nothing: when it throws, no page changed.
   *
   * @param offset start of the range in the region, in bytes
   * @param length length of the range in bytes
   * @param shared true for shared, false for private
   * @throws MemoryAttributeException when the kernel (or its model) refuses: {@code EINVAL} for a bad range,
   *     {@code EAGAIN} with the offset of the first pinned page when converting pinned memory to private
   *     (guest_memfd only), {@code ENOMEM}
   */
  void convert(long offset, long length, boolean shared);

  /**
   * {@return whether every page of {@code [offset, offset + length)} has the attribute {@code shared}}
   *
   * @param offset start of the range in the region, in bytes
   * @param length length of the range in bytes
   * @param shared the attribute asked about
   */
  boolean isUniform(long offset, long length, boolean shared);

  /** Releases what the back-end holds; later calls fail with {@link IllegalStateException}. */
  @Override
  void close();
}
