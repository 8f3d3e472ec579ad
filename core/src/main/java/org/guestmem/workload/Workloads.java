package org.guestmem.workload;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named workloads of the benchmark and replay inputs, by name. Immutable and thread-safe. */
public final class Workloads {
  private static final Map<String, Workload> BY_NAME;

  static {
    Map<String, Workload> m = new LinkedHashMap<>();
    for (Workload w : new Workload[] {new BootSwiotlb(), new DynamicDma(), new Hugepage2m(), new PartialSplit(),
        new Checkerboard(), new VirtioMemCvm()}) {
      m.put(w.name(), w);
    }
    BY_NAME = Collections.unmodifiableMap(m);
  }

  private Workloads() {}

  /** {@return every named workload, in a fixed order} */
  public static Collection<Workload> all() {
    return BY_NAME.values();
  }

  /** {@return the workload names, comma-separated, in the order of {@link #all()}} */
  public static String names() {
    return String.join(", ", BY_NAME.keySet());
  }

  /**
   * The workload called {@code name}.
   *
   * @param name the workload's name
   * @return the workload
   * @throws IllegalArgumentException naming the unknown name and listing the known ones
   */
  public static Workload named(String name) {
    Workload w = name == null ? null : BY_NAME.get(name);
    if (w == null) {
      throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + names());
    }
    return w;
  }
}
