package org.guestmem.conformance;

import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeCapabilities;
import org.guestmem.spi.MemoryAttributeException;

/**
 * Fault injection for the KVM step: fails exactly the k-th {@link #convert} call with a refusal KVM documents
 * (docs/kvm-attributes.md), raised as a chosen {@link FaultKind}, before the delegate sees it (KVM refuses before its
 * point of no return). Counts calls so that a dry run tells a sweep how many there are.
 */
public final class FailingMemoryAttributes implements MemoryAttributeBackend {
  /** A refusal: the errno and whether it carries an {@code error_offset} (the range's first page). */
  public record Fault(Errno errno, boolean withOffset) {
    @Override
    public String toString() {
      return errno.name() + (withOffset ? "+error_offset" : "");
    }
  }

  /** What the KVM ioctls return on refusal, including a pin outside guestmem that every retry still sees. */
  public static final java.util.List<Fault> FAULTS = java.util.List.of(new Fault(Errno.EAGAIN, true),
      new Fault(Errno.EINVAL, false), new Fault(Errno.ENOMEM, false));

  private final MemoryAttributeBackend delegate;
  private long calls;
  private long failAt = -1;
  private Fault fault;
  private FaultKind kind = FaultKind.RUNTIME;
  private int injected;
  /** The call number (1-based, as {@link #calls()} counts) of the last injected fault, or -1. */
  private long injectedAt = -1;
  /** The range an injected EAGAIN keeps refusing while the manager retries it. */
  private long[] stuck;

  public FailingMemoryAttributes(MemoryAttributeBackend delegate) {
    this.delegate = delegate;
  }

  /** Fails the {@code k}-th call from now (1-based) with {@code fault}; an EAGAIN fails its retries too. */
  public FailingMemoryAttributes failOn(long k, Fault fault, FaultKind kind) {
    this.failAt = calls + k;
    this.fault = fault;
    this.kind = kind;
    return this;
  }

  /** Convert calls seen. */
  public long calls() {
    return calls;
  }

  /** Faults injected. */
  public int injected() {
    return injected;
  }

  /** The number of the call (1-based, as {@link #calls()} counts) the last injected fault failed, or -1. */
  public long injectedAtCall() {
    return injectedAt;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public MemoryAttributeCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void convert(long offset, long length, boolean shared) {
    calls++;
    if (stuck != null && !shared && stuck[0] == offset && stuck[1] == length) {
      throw refusal(offset, length); // a retry still sees the pin
    }
    stuck = null;
    if (calls == failAt) {
      failAt = -1;
      injected++;
      injectedAt = calls;
      MemoryAttributeException refusal = refusal(offset, length);
      if (fault.errno() == Errno.EAGAIN && !shared && kind == FaultKind.RUNTIME) {
        stuck = new long[] {offset, length};
      }
      throw kind.raise(refusal);
    }
    delegate.convert(offset, length, shared);
  }

  private MemoryAttributeException refusal(long offset, long length) {
    return new MemoryAttributeException(delegate.capabilities().ioctl(), fault.errno(),
        String.format("offset=0x%x size=0x%x", offset, length), fault.withOffset() ? offset : -1,
        fault.withOffset() ? offset : -1, "injected");
  }

  @Override
  public boolean isUniform(long offset, long length, boolean shared) {
    return delegate.isUniform(offset, length, shared);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
