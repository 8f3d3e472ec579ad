package org.guestmem.dma.conformance;

import java.lang.management.ManagementFactory;

/**
 * What the current thread allocates per call of a hot path, from {@code com.sun.management.ThreadMXBean}. The
 * workload first runs a few passes unmeasured, so that the JIT has compiled it (only compiled code has its temporaries
 * removed by escape analysis), then a few measured passes, of which the least is taken: a path that allocates per
 * call does so in every pass, while one pass can be slowed into the interpreter by a deoptimisation.
 *
 * <p>Shared from linux-uapi's test-jar with both DMA back-ends' tests.
 */
public final class AllocationMeter {
  private static final int WARM_UP_PASSES = 5;
  private static final int MEASURED_PASSES = 3;

  /** One pass of a workload. */
  @FunctionalInterface
  public interface Workload {
    /**
     * Runs the calls once.
     *
     * @return the number of calls made
     */
    long run();
  }

  private AllocationMeter() {}

  /**
   * Bytes allocated per call by {@code workload}, the least over the measured passes.
   *
   * @param workload the calls, each pass leaving things as it found them
   * @return bytes allocated per call
   * @throws IllegalStateException if this JVM cannot count a thread's allocations
   */
  public static double bytesPerCall(Workload workload) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (!threads.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM cannot count the bytes a thread allocates");
    }
    threads.setThreadAllocatedMemoryEnabled(true);
    for (int i = 0; i < WARM_UP_PASSES; i++) {
      workload.run();
    }
    long thread = Thread.currentThread().getId();
    double least = Double.MAX_VALUE;
    for (int i = 0; i < MEASURED_PASSES; i++) {
      long before = threads.getThreadAllocatedBytes(thread);
      long calls = workload.run();
      long after = threads.getThreadAllocatedBytes(thread);
      least = Math.min(least, (double) (after - before) / calls);
    }
    return least;
  }
}
