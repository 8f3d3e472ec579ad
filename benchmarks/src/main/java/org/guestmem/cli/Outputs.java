package org.guestmem.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the files a command reads and writes, made before any work so that a bad path costs one line and no run:
 * a run of minutes must not end in a write that could never succeed. Every message names the flag as typed.
 */
final class Outputs {
  /** The file name that means standard output. */
  static final String STDOUT = "-";

  private static final int SNIFF_BYTES = 8192;

  private Outputs() {}

  /** Whether {@code file} is {@value #STDOUT}. */
  static boolean isStdout(Path file) {
    return file != null && file.toString().equals(STDOUT);
  }

  /**
   * Checks that {@code file} (given with {@code flag}) can be written: {@value #STDOUT}, a writable regular file (or
   * {@code /dev/null}), or a name whose directory exists or can be created. Creates nothing.
   *
   * @throws IllegalArgumentException naming the flag, the path and the rule
   */
  static void checkFile(String flag, Path file) {
    if (isStdout(file)) {
      return;
    }
    String what = flag + " " + file;
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(what + " is a directory; give a file name (or - for standard output)");
    }
    if (Files.exists(file)) {
      if (!Files.isRegularFile(file) && !isDevNull(file)) {
        throw new IllegalArgumentException(what + " is not a regular file (a device or pipe: writes may fail); "
            + "give a file name (or - for standard output)");
      }
      if (!Files.isWritable(file)) {
        throw new IllegalArgumentException(what + " is not writable");
      }
      return;
    }
    checkCreatable(what, file.toAbsolutePath().getParent());
  }

  /**
   * Checks that {@code dir} (given with {@code flag}) is a writable directory or can be created. Creates nothing.
   *
   * @throws IllegalArgumentException naming the flag, the path and the rule
   */
  static void checkDirectory(String flag, Path dir) {
    String what = flag + " " + dir;
    if (isStdout(dir)) {
      throw new IllegalArgumentException(what + ": this command writes several files; give a directory");
    }
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(what + " is a file, not a directory");
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException(what + " is a directory that is not writable");
      }
      return;
    }
    checkCreatable(what, dir.toAbsolutePath().getParent());
  }

  /** The nearest existing ancestor must be a writable directory, for the missing ones (and the file) to be made. */
  private static void checkCreatable(String what, Path parent) {
    Path at = parent;
    while (at != null && !Files.exists(at)) {
      at = at.getParent();
    }
    if (at == null) {
      return; // nothing exists up to the root: let the write name what fails
    }
    if (!Files.isDirectory(at)) {
      throw new IllegalArgumentException(what + ": " + at + " is not a directory");
    }
    if (!Files.isWritable(at)) {
      throw new IllegalArgumentException(what + ": cannot create it, " + at + " is not writable");
    }
  }

  private static boolean isDevNull(Path file) {
    try {
      return Files.isSameFile(file, Path.of("/dev/null"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Checks that {@code file} (given with {@code flag}) is a readable text file: it exists, is not a directory, and
   * its first bytes hold no NUL (which no trace-event log has, and nearly every binary file does).
   *
   * @throws IllegalArgumentException naming the flag, the path and the rule
   */
  static void checkTextInput(String flag, Path file) {
    String what = flag + " " + file;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("trace file " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(what + " is a directory, not a trace file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(what + " is not readable");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SNIFF_BYTES);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
    }
    for (byte b : head) {
      if (b == 0) {
        throw new IllegalArgumentException(what + " is a binary file, not a text trace (a QEMU trace-event log)");
      }
    }
  }
}
