package org.guestmem.it.realkernel;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file descriptors a back-end opened in this process, through {@code /proc/self/fd}. The edu check must
 * drive the very device the back-end bound: a vfio cdev can be opened only once while bound, and a VFIO group node
 * only once at all, so a second open would fail with EBUSY or EINVAL. The back-ends do not hand out their descriptors
 * (they are not part of the SPI), and the test needs them only to program the device.
 */
final class OwnDescriptors {
  static final long VFIO_GROUP_GET_DEVICE_FD = 0x3B6A;

  private OwnDescriptors() {}

  /** The only descriptor of this process open on {@code node}. */
  static int find(String node) {
    Path target = Path.of(node);
    Integer found = null;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        Path link;
        try {
          link = Files.readSymbolicLink(fd);
        } catch (IOException gone) {
          continue; // the directory stream's own descriptor, closed meanwhile
        }
        if (link.equals(target)) {
          if (found != null) {
            throw new IllegalStateException("more than one descriptor open on " + node);
          }
          found = Integer.parseInt(fd.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found == null) {
      throw new IllegalStateException("no descriptor of this process is open on " + node);
    }
    return found;
  }

  /** A new device descriptor for {@code pciAddress} from this process's open VFIO group descriptor; close it. */
  static int deviceFromGroup(String groupNode, String pciAddress) {
    int group = find(groupNode);
    byte[] name = pciAddress.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Memory arg = new Memory(name.length + 1);
    arg.write(0, name, 0, name.length);
    arg.setByte(name.length, (byte) 0);
    return Libc.ioctl(group, "VFIO_GROUP_GET_DEVICE_FD", VFIO_GROUP_GET_DEVICE_FD, arg);
  }
}
