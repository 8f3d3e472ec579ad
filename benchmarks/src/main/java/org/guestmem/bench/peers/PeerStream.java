package org.guestmem.bench.peers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An operation stream both the Java stores and the native peers replay: a block count (every block starts private)
 * and phases of operations, each operation three numbers. Set phases hold (from, to, state), a query (from, to, 0),
 * an iterate (from, runs, 0).
 *
 * <p>The file is little-endian: the eight bytes {@code GMPEER01}, the block count (u64), the phase count (u32), then
 * per phase its {@linkplain PhaseKind#code() kind} (u32), a zero (u32), the operation count (u64) and the operations
 * (three u64 each). {@code benchmarks/native/peer.h} reads the same layout.
 *
 * @param blocks the block count, positive
 * @param phases the phases in replay order
 */
public record PeerStream(long blocks, List<Phase> phases) {
  static final byte[] MAGIC = "GMPEER01".getBytes(StandardCharsets.US_ASCII);

  /**
   * One phase.
   *
   * @param kind what its operations do
   * @param ops three numbers per operation
   */
  public record Phase(PhaseKind kind, long[] ops) {
    public Phase {
      if (ops.length % 3 != 0) {
        throw new IllegalArgumentException("a phase holds three numbers per operation, not " + ops.length);
      }
    }

    /** Number of operations. */
    public int count() {
      return ops.length / 3;
    }

    /** Operations counted for the time per operation: the runs visited for an iterate phase. */
    public long weight() {
      if (kind != PhaseKind.ITERATE) {
        return count();
      }
      long w = 0;
      for (int i = 1; i < ops.length; i += 3) {
        w += ops[i];
      }
      return w;
    }
  }

  public PeerStream {
    if (blocks <= 0) {
      throw new IllegalArgumentException("blocks " + blocks + " must be positive");
    }
    phases = List.copyOf(phases);
    for (Phase p : phases) {
      for (int i = 0; i < p.ops.length; i += 3) {
        checkOp(blocks, p.kind, p.ops[i], p.ops[i + 1], p.ops[i + 2]);
      }
    }
  }

  private static void checkOp(long blocks, PhaseKind kind, long a, long b, long c) {
    boolean ok = switch (kind) {
      case FILL, SET, CONVERT -> a >= 0 && a < b && b <= blocks && (c == 0 || c == 1);
      case QUERY -> a >= 0 && a < b && b <= blocks && c == 0;
      case ITERATE -> a >= 0 && a < blocks && b > 0 && c == 0;
    };
    if (!ok) {
      throw new IllegalArgumentException(kind + " operation (" + a + ", " + b + ", " + c + ") is outside the rules"
          + " for " + blocks + " blocks (sets: 0 <= from < to <= blocks, state 0 or 1; query: 0 <= from < to <="
          + " blocks; iterate: 0 <= from < blocks, runs > 0)");
    }
  }

  /** The phase of kind {@code kind}, or null. */
  public Phase phase(PhaseKind kind) {
    return phases.stream().filter(p -> p.kind == kind).findFirst().orElse(null);
  }

  /** Writes the stream file. */
  public void write(Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      out.write(MAGIC);
      b.putLong(blocks).putInt(phases.size());
      out.write(b.array(), 0, b.position());
      for (Phase p : phases) {
        b.clear();
        b.putInt(p.kind.code()).putInt(0).putLong(p.count());
        out.write(b.array(), 0, b.position());
        for (long v : p.ops) {
          b.clear();
          b.putLong(v);
          out.write(b.array(), 0, 8);
        }
      }
    }
  }

  /** Reads a stream file; throws naming the file and what is wrong with it. */
  public static PeerStream read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[8];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException(file + " is not an operation stream (it must start with GMPEER01)");
      }
      long blocks = le64(in);
      int n = Integer.reverseBytes(in.readInt());
      if (n < 0 || n > 64) {
        throw new IllegalArgumentException(file + ": phase count " + n + " must be between 0 and 64");
      }
      List<Phase> phases = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        PhaseKind kind = PhaseKind.ofCode(Integer.reverseBytes(in.readInt()));
        in.readInt();
        long count = le64(in);
        if (count < 0 || count > Integer.MAX_VALUE / 3) {
          throw new IllegalArgumentException(file + ": operation count " + count + " is out of range");
        }
        long[] ops = new long[(int) count * 3];
        for (int k = 0; k < ops.length; k++) {
          ops[k] = le64(in);
        }
        phases.add(new Phase(kind, ops));
      }
      if (in.read() != -1) {
        throw new IllegalArgumentException(file + " has bytes after its last phase");
      }
      return new PeerStream(blocks, phases);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " ends in the middle of an operation stream", e);
    }
  }

  private static long le64(InputStream in) throws IOException {
    return Long.reverseBytes(((DataInputStream) in).readLong());
  }
}
