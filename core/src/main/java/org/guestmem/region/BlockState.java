package org.guestmem.region;

/**
 * The three states a block of guest memory can be in, which a single populated/discarded bit cannot tell apart.
 */
public enum BlockState {
  /** Plugged and private: only the guest (through guest_memfd) can reach it. Discarded for listeners. */
  PRIVATE,
  /** Plugged and shared: host- and device-visible. The only populated state. */
  SHARED,
  /** Unplugged (virtio-mem's role): no memory behind it at all, whatever its shared/private attribute says. */
  DISCARDED
}
