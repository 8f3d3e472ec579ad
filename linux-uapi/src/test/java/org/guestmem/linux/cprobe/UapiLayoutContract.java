package org.guestmem.linux.cprobe;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The struct-layout tests of one uAPI header's JNA bindings: against the recorded numbers always, and against gcc on
 * the installed header when gcc and the header are there (else that test is skipped by assumption, saying why). Each
 * header's layout test implements {@link #layout()}.
 */
public interface UapiLayoutContract {

  /** The header's layout and its bindings. */
  UapiLayout layout();

  @Test
  default void everyStructureMatchesTheRecordedLayout() {
    layout().assertStructsMatchRecordedLayout();
  }

  @Test
  default void requestNumbersAndConstantsMatchTheRecordedValues() throws ReflectiveOperationException {
    layout().assertConstantsMatchRecordedValues();
  }

  @Test
  default void everyStructureMatchesGccOnTheInstalledHeader(@TempDir Path dir) throws Exception {
    layout().assertMatchesInstalledHeader(dir, getClass().getSimpleName());
  }
}
