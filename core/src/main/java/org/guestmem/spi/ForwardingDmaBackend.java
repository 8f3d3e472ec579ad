package org.guestmem.spi;

import java.util.List;
import java.util.Objects;

/**
 * A {@link DmaBackend} that forwards every call to another one, for wrappers that observe or change a few calls
 * (counting, fault injection, shadowing) and pass the rest through, as guava's {@code Forwarding*} classes do.
 * Subclasses override only what they change.
 */
public abstract class ForwardingDmaBackend implements DmaBackend {
  /** The back-end every call not overridden goes to. */
  protected final DmaBackend delegate;

  /**
   * A back-end that forwards to {@code delegate}.
   *
   * @param delegate the back-end calls go to
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingDmaBackend(DmaBackend delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
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
    delegate.map(iova, length, vaddr, readable, writable);
  }

  @Override
  public String mapFileLimitation() {
    return delegate.mapFileLimitation();
  }

  @Override
  public void mapFile(long iova, long length, int fd, long fileOffset, boolean readable, boolean writable) {
    delegate.mapFile(iova, length, fd, fileOffset, readable, writable);
  }

  @Override
  public long unmap(long iova, long length) {
    return delegate.unmap(iova, length);
  }

  @Override
  public long cut(long iova, long length) {
    return delegate.cut(iova, length);
  }

  @Override
  public long unmapAll() {
    return delegate.unmapAll();
  }

  @Override
  public void visitMappingRuns(MappingRunVisitor visitor) {
    delegate.visitMappingRuns(visitor);
  }

  @Override
  public void visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    delegate.visitMappingRuns(first, last, visitor);
  }

  @Override
  public List<MappingRun> mappingRuns() {
    return delegate.mappingRuns();
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
