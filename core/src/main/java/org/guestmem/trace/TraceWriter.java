package org.guestmem.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.Objects;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RamLayout;
import org.guestmem.workload.OpKind;
import org.guestmem.workload.OpStream;

/**
 * Writes region operations as a QEMU trace-event log, in the log back-end's format
 * ({@code pid@seconds.micros:event args}), so that generated workloads and real traces go through one reader.
 *
 * <p>The {@code from} word of {@code ram_block_attributes_state_change} depends on the state before the conversion,
 * so the writer applies each operation to a region ({@link #write(OpStream, AttributeManager)}) and reports what it
 * found, as QEMU does: {@code populated}, {@code discarded} or {@code mixture}. Plug operations become virtio-mem
 * requests of at most 65,535 blocks ({@code nb_blocks} is 16-bit in QEMU). Timestamps come from a fixed clock, so
 * the same operations always give the same bytes.
 *
 * <p>Not thread-safe. The writer does not close its {@link Writer}.
 */
public final class TraceWriter {
  /** Which conversion events a conversion produces. */
  public enum Events {
    /** {@code kvm_convert_memory} only (guest-physical). */
    KVM,
    /** {@code ram_block_attributes_state_change} only (region offsets). */
    STATE_CHANGE,
    /** Both, in QEMU's order: what a log with both trace points enabled shows. */
    BOTH
  }

  static final long PID = 4242;
  static final long START_MICROS = 1_767_225_600_000_000L;
  static final long MICROS_PER_LINE = 13;
  static final int MAX_NB_BLOCKS = 0xffff;

  private final Writer out;
  private final long base;
  private final RamLayout ram;
  private final Events events;
  private final long plugBlockSize;
  private final StringBuilder line = new StringBuilder(160);
  private long micros = START_MICROS;
  private long lines;

  /**
   * @param out where the lines go
   * @param base the guest-physical address of region offset 0, for the guest-physical events
   * @param events which conversion events to write
   * @param plugBlockSize the virtio-mem block size that {@code nb_blocks} counts in
   */
  public TraceWriter(Writer out, long base, Events events, long plugBlockSize) {
    this(out, base, null, events, plugBlockSize);
  }

  /**
   * A writer for a guest whose RAM lies in several ranges: offsets are RAM offsets of {@code ram}, and an operation
   * across a gap between ranges is written as one event per side, as a guest would request it.
   *
   * @param out where the lines go
   * @param ram the guest's RAM ranges
   * @param events which conversion events to write
   * @param plugBlockSize the virtio-mem block size that {@code nb_blocks} counts in
   */
  public TraceWriter(Writer out, RamLayout ram, Events events, long plugBlockSize) {
    this(out, 0, Objects.requireNonNull(ram, "ram"), events, plugBlockSize);
  }

  private TraceWriter(Writer out, long base, RamLayout ram, Events events, long plugBlockSize) {
    this.out = Objects.requireNonNull(out, "out");
    this.base = base;
    this.ram = ram;
    this.events = Objects.requireNonNull(events, "events");
    if (plugBlockSize <= 0 || Long.bitCount(plugBlockSize) != 1) {
      throw new IllegalArgumentException("virtio-mem block size " + plugBlockSize + " must be a power of two");
    }
    this.plugBlockSize = plugBlockSize;
  }

  /**
   * Writes the guestmem header line ({@link TraceHeader}); call first, if at all.
   *
   * @param values the {@code key=value} pairs, each key and value one word
   * @throws IllegalArgumentException if a key or value is not one word
   */
  public void header(Map<String, String> values) {
    line.setLength(0);
    line.append(TraceHeader.MAGIC);
    values.forEach((k, v) -> {
      if (k.isEmpty() || k.contains("=") || k.contains(" ") || v.contains(" ")) {
        throw new IllegalArgumentException("header entry '" + k + "=" + v + "' must be one word key=value");
      }
      line.append(' ').append(k).append('=').append(v);
    });
    emit(false);
  }

  /**
   * Applies every operation of {@code ops} to {@code region} and writes its trace lines; returns the operations
   * written. The region's base address is this writer's {@code base}; its listeners are notified as in any replay.
   *
   * @param ops the operations, consumed
   * @param region the region they are applied to
   * @return the operations written
   * @throws IllegalArgumentException if an operation is bad for the region, naming its position
   */
  public long write(OpStream ops, AttributeManager region) {
    long n = 0;
    while (ops.next()) {
      OpKind kind = ops.kind();
      long off = ops.offset();
      long len = ops.length();
      ConversionResult result;
      try {
        result = kind.applyTo(region, off, len);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalArgumentException(ops.position() + ": " + e.getMessage(), e);
      }
      long blocks = len / region.granularity();
      String from;
      if (result.blocksChanged() == 0) {
        from = kind == OpKind.SHARE || kind == OpKind.PLUG ? "populated" : "discarded";
      } else if (result.blocksChanged() == blocks) {
        from = kind == OpKind.SHARE || kind == OpKind.PLUG ? "discarded" : "populated";
      } else {
        from = "mixture";
      }
      write(kind, off, len, from);
      n++;
    }
    return n;
  }

  /**
   * Writes the lines of one operation. {@code from} is the guest_memfd state of the range before a conversion
   * ({@code populated}, {@code discarded} or {@code mixture}); ignored for plug operations.
   *
   * @param kind the operation
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes
   * @param from the state before, for a conversion
   * @throws IllegalArgumentException if a plug operation is not in whole virtio-mem blocks
   */
  public void write(OpKind kind, long offset, long length, String from) {
    if (ram == null) {
      writePiece(kind, base + offset, offset, length, from);
      return;
    }
    for (long[] piece : ram.guestPhysical(offset, length)) {
      writePiece(kind, piece[0], ram.ramOffsetOf(piece[0], piece[1]), piece[1], from);
    }
  }

  private void writePiece(OpKind kind, long gpa, long offset, long length, String from) {
    switch (kind) {
      case SHARE, PRIVATE -> {
        boolean shared = kind == OpKind.SHARE;
        if (events != Events.STATE_CHANGE) {
          prefix().append(TraceReader.KVM_CONVERT).append(" start 0x").append(Long.toHexString(gpa))
              .append(" size 0x").append(Long.toHexString(length)).append(' ')
              .append(shared ? "private_to_shared" : "shared_to_private");
          emit(true);
        }
        if (events != Events.KVM) {
          prefix().append(TraceReader.STATE_CHANGE).append(" offset 0x").append(Long.toHexString(offset))
              .append(" size 0x").append(Long.toHexString(length)).append(" from '").append(from)
              .append("' to '").append(shared ? "populated" : "discarded").append('\'');
          emit(true);
        }
      }
      case PLUG, UNPLUG -> {
        if (length % plugBlockSize != 0 || offset % plugBlockSize != 0) {
          throw new IllegalArgumentException(String.format(
              "%s of [0x%x, +0x%x) is not in whole virtio-mem blocks of 0x%x", kind, offset, length, plugBlockSize));
        }
        long blocks = length / plugBlockSize;
        long at = gpa;
        while (blocks > 0) {
          long n = Math.min(blocks, MAX_NB_BLOCKS);
          prefix().append(kind == OpKind.PLUG ? TraceReader.PLUG_REQUEST : TraceReader.UNPLUG_REQUEST)
              .append(" addr=0x").append(Long.toHexString(at)).append(" nb_blocks=").append(n);
          emit(true);
          at += n * plugBlockSize;
          blocks -= n;
        }
      }
    }
  }

  /** {@return lines written so far} */
  public long lines() {
    return lines;
  }

  private StringBuilder prefix() {
    line.setLength(0);
    return line.append(PID).append('@').append(micros / 1_000_000).append('.')
        .append(String.format("%06d", micros % 1_000_000)).append(':');
  }

  private void emit(boolean tick) {
    try {
      out.append(line).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lines++;
    if (tick) {
      micros += MICROS_PER_LINE;
    }
  }
}
