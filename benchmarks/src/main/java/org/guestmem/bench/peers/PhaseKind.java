package org.guestmem.bench.peers;

/** What the operations of one phase of a {@link PeerStream} do; the code is the stream file's. */
public enum PhaseKind {
  /** Builds the starting state: set ranges, untimed. */
  FILL(0, "fill"),
  /** Range sets on the store alone. */
  SET(1, "range set"),
  /** Visits the maximal runs of a window. */
  QUERY(2, "query"),
  /** Visits a number of maximal runs from a block; timed per run visited. */
  ITERATE(3, "iterate (per run)"),
  /** Conversions: the store plus the notification of the runs that changed, without DMA. */
  CONVERT(4, "conversion");

  private final int code;
  private final String label;

  PhaseKind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The code the stream file uses. */
  public int code() {
    return code;
  }

  /** How the table names it. */
  public String label() {
    return label;
  }

  /** Whether the operations are range sets (from, to, state). */
  public boolean sets() {
    return this == FILL || this == SET || this == CONVERT;
  }

  /** The kind with stream code {@code code}; throws naming the value otherwise. */
  public static PhaseKind ofCode(int code) {
    for (PhaseKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("phase kind " + code + " is not one of 0..4");
  }
}
