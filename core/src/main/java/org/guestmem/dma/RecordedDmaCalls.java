package org.guestmem.dma;

import jdk.jfr.EventType;
import org.guestmem.jfr.DmaCallEvent;
import org.guestmem.spi.DmaBackend;

/**
 * The calls a {@link DmaMappingListener} makes on its back-end that change mappings, each recorded as a
 * {@link DmaCallEvent} with the region's name when a JFR recording enables that event. The listener is where the
 * region is known: a back-end may serve several regions (one IOAS for a guest's RAM). With no recording, a call
 * costs one check and allocates nothing.
 */
final class RecordedDmaCalls {
  private static final EventType EVENT_TYPE = EventType.getEventType(DmaCallEvent.class);

  private final DmaBackend backend;
  private final String region;

  RecordedDmaCalls(DmaBackend backend, String region) {
    this.backend = backend;
    this.region = region;
  }

  void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      backend.map(iova, length, vaddr, readable, writable);
      failed = false;
    } finally {
      end(event, "map", iova, length, failed);
    }
  }

  void mapFile(long iova, long length, int fd, long fileOffset, boolean readable, boolean writable) {
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      backend.mapFile(iova, length, fd, fileOffset, readable, writable);
      failed = false;
    } finally {
      end(event, "mapFile", iova, length, failed);
    }
  }

  long unmap(long iova, long length) {
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      long removed = backend.unmap(iova, length);
      failed = false;
      return removed;
    } finally {
      end(event, "unmap", iova, length, failed);
    }
  }

  long cut(long iova, long length) {
    DmaCallEvent event = begin();
    boolean failed = true;
    try {
      long removed = backend.cut(iova, length);
      failed = false;
      return removed;
    } finally {
      end(event, "cut", iova, length, failed);
    }
  }

  /** A started event, or null when no recording wants one (so nothing is allocated). */
  private static DmaCallEvent begin() {
    if (!EVENT_TYPE.isEnabled()) {
      return null;
    }
    DmaCallEvent event = new DmaCallEvent();
    event.begin();
    return event;
  }

  private void end(DmaCallEvent event, String operation, long iova, long length, boolean failed) {
    if (event == null) {
      return;
    }
    event.end();
    if (event.shouldCommit()) {
      event.backend = backend.name();
      event.region = region;
      event.operation = operation;
      event.iova = iova;
      event.length = length;
      event.entriesAfter = backend.entries();
      event.failed = failed;
      event.commit();
    }
  }
}
