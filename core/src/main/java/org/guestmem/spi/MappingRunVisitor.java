package org.guestmem.spi;

/** Receives runs of uniform DMA mappings, ascending by IOVA ({@link DmaBackend#visitMappingRuns}). */
@FunctionalInterface
public interface MappingRunVisitor {

  /**
   * One run; never null. The visitor must not change the back-end it is visiting.
   *
   * @param run the run
   */
  void visit(MappingRun run);
}
