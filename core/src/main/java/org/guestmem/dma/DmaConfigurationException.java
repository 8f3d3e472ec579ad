package org.guestmem.dma;

/**
 * A DMA mapping listener cannot work with the back-end as configured (policy, entry limit, IOVA ranges, page size).
 * Thrown at registration, before anything is mapped; the message says why and what to change.
 */
public class DmaConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal saying why.
   *
   * @param message why, and what to change
   */
  public DmaConfigurationException(String message) {
    super(message);
  }
}
