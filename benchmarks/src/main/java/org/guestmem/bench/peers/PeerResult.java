package org.guestmem.bench.peers;

import java.util.Map;

/**
 * What one peer measured on one stream: the best time per operation of each timed phase, the phases' checksums,
 * the bytes it holds at the end, and the final state's runs and hash (equal hashes: the same final state).
 *
 * @param peer the peer's name
 * @param nsPerOp per timed phase, nanoseconds per operation (best of the measured rounds)
 * @param checksums per timed phase, the checksum of its reads (0 for sets)
 * @param bytes what the structure holds at the end of the stream
 * @param runs maximal runs at the end
 * @param finalHash hash over the final maximal runs
 */
public record PeerResult(String peer, Map<PhaseKind, Double> nsPerOp, Map<PhaseKind, Long> checksums, long bytes,
    long runs, long finalHash) {
  public PeerResult {
    nsPerOp = Map.copyOf(nsPerOp);
    checksums = Map.copyOf(checksums);
  }

  /** Bytes per maximal run at the end. */
  public double bytesPerRun() {
    return (double) bytes / Math.max(1, runs);
  }
}
