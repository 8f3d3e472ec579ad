package org.guestmem.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Lets code that prints to a {@link java.io.PrintStream} write to picocli's {@link PrintWriter}. */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter out;
  private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

  WriterOutputStream(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void write(int b) {
    pending.write(b);
    if (b == '\n') {
      flush();
    }
  }

  @Override
  public void flush() {
    out.print(pending.toString(StandardCharsets.UTF_8));
    out.flush();
    pending.reset();
  }

  /** Flushes a last line without a line end; the writer stays open (it is picocli's). */
  @Override
  public void close() {
    flush();
  }
}
