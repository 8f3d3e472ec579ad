package org.guestmem.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A memfd's mapping is the file's pages: what is written through it is seen through a second mapping of the fd. */
class MemfdMemoryTest {

  @Test
  void writesThroughTheMappingAreTheFilesPages() {
    int fd;
    try (MemfdMemory m = MemfdMemory.create("guestmem-test", 4 * 4096)) {
      fd = m.fd();
      assertEquals(4 * 4096, m.size());
      assertTrue(link(fd).startsWith("/memfd:guestmem-test"), link(fd));
      new Pointer(m.address()).setLong(3 * 4096 + 8, 0x1234_5678_9abcL);
      Pointer second = LinuxLibc.get().mmap(null, new NativeLong(4 * 4096), LinuxLibc.PROT_READ,
          LinuxLibc.MAP_SHARED, fd, new NativeLong(0));
      try {
        assertEquals(0x1234_5678_9abcL, second.getLong(3 * 4096 + 8));
        assertEquals(0, second.getLong(0));
      } finally {
        AnonymousMemory.unmap(Pointer.nativeValue(second), 4 * 4096);
      }
    }
    assertFalse(Files.exists(Path.of("/proc/self/fd/" + fd)), "close closes the descriptor");
  }

  private static String link(int fd) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aSizeThatIsNotAWholeNumberOfPagesIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MemfdMemory.create("guestmem-test", 4097));
    assertTrue(e.getMessage().contains("4097") && e.getMessage().contains("multiple of 4096"), e.getMessage());
  }
}
