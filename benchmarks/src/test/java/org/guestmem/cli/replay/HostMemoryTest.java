package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

class HostMemoryTest {
  @Test
  void theModelsGetTheFixedAddress() {
    try (HostMemory host = new HostMemory()) {
      assertEquals(HostMemory.MODEL_ADDRESS, host.back(false, 1L << 40));
      assertThrows(IllegalStateException.class, () -> host.back(false, 4096));
    }
  }

  /** A real kernel pins what it maps: the backing must be real, writable, page-aligned memory of the region's size. */
  @Test
  void aRealKernelGetsRealMemoryOfTheRegionsSize() {
    long size = 64L << 20;
    try (HostMemory host = new HostMemory()) {
      long address = host.back(true, size);
      assertNotEquals(HostMemory.MODEL_ADDRESS, address);
      assertEquals(0, address % 4096, "page-aligned");
      Pointer p = new Pointer(address);
      p.setLong(0, 0x1234L);
      p.setLong(size - 8, 0x5678L);
      assertEquals(0x1234L, p.getLong(0));
      assertEquals(0x5678L, p.getLong(size - 8));
    }
  }

  /** Guest-sized backings must not need guest-sized RAM or swap: only touched pages count. */
  @Test
  void aTebibyteBackingIsOnlyAddressSpace() {
    try (HostMemory host = new HostMemory()) {
      long address = host.back(true, 1L << 40);
      new Pointer(address).setByte((1L << 40) - 1, (byte) 1);
      assertEquals(1, new Pointer(address).getByte((1L << 40) - 1));
    }
  }
}
