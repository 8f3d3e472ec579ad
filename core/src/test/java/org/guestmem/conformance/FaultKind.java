package org.guestmem.conformance;

import java.io.IOException;
import org.guestmem.region.ConversionException;

/**
 * The kinds of throwable third-party code can fail with, for fault injection: compensation must never depend on
 * which one was thrown. A checked exception arrives undeclared (as Kotlin, Scala or a "sneaky throw" deliver it).
 */
public enum FaultKind {
  /** A {@link RuntimeException}: what the manager always compensated. */
  RUNTIME,
  /** An {@link Error} ({@link AssertionError}, as a failed assertion in a listener throws). */
  ERROR,
  /** A checked {@link IOException}, thrown without being declared. */
  CHECKED;

  /** Throws a throwable of this kind; for {@link #RUNTIME}, {@code runtime} itself. */
  public RuntimeException raise(RuntimeException runtime) {
    switch (this) {
      case RUNTIME -> throw runtime;
      case ERROR -> throw new AssertionError("injected error: " + runtime.getMessage(), runtime);
      default -> throw FaultKind.<RuntimeException>sneaky(new IOException("injected checked exception: "
          + runtime.getMessage(), runtime));
    }
  }

  /** Throws a throwable of this kind with {@code message}. */
  public RuntimeException raise(String message) {
    return raise(new IllegalStateException(message));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /** Whether {@code cause}, the refusal a {@link ConversionException} carries, is of this kind. */
  public boolean isKindOf(Throwable cause) {
    return switch (this) {
      case RUNTIME -> cause instanceof RuntimeException;
      case ERROR -> cause instanceof AssertionError;
      case CHECKED -> cause instanceof IOException;
    };
  }

  /**
   * Checks that {@code thrown}, what a manager entry point threw after a refusal of this kind, is what its contract
   * promises: the {@link Error} itself with the {@link ConversionException} attached, or a
   * {@link ConversionException} whose cause is the refusal. Returns that ConversionException.
   *
   * @throws AssertionError naming {@code where} if it is not
   */
  public ConversionException expect(Throwable thrown, String where) {
    if (this == ERROR && !(thrown instanceof AssertionError)) {
      throw new AssertionError(where + ": an injected Error must reach the caller as it is, not as " + thrown, thrown);
    }
    if (this != ERROR && !(thrown instanceof ConversionException)) {
      throw new AssertionError(where + ": a " + this + " refusal must reach the caller as a ConversionException, not "
          + thrown, thrown);
    }
    ConversionException e = ConversionException.of(thrown).orElseThrow(() ->
        new AssertionError(where + ": the Error carries no ConversionException describing the undo", thrown));
    Throwable refusal = this == ERROR ? thrown : e.getCause();
    if (!isKindOf(refusal)) {
      throw new AssertionError(where + ": the refusal " + refusal + " is not of kind " + this, thrown);
    }
    return e;
  }
}
