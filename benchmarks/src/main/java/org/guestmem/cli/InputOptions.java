package org.guestmem.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.guestmem.region.RamLayout;
import org.guestmem.trace.TraceHeader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import org.guestmem.spi.Sizes;

/** What to replay and on what region: shared by {@code replay} and {@code compare}. */
final class InputOptions {

  static final class Source {
    @Option(names = "--workload", paramLabel = "NAME", required = true,
        description = "a named workload (see 'guestmem workloads')")
    String workload;

    @Option(names = "--trace", paramLabel = "FILE", required = true,
        description = "a QEMU trace-event log (ram_block_attributes_state_change, kvm_convert_memory lines)")
    Path trace;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--base", paramLabel = "ADDR", converter = AddressConverter.class,
      description = "guest-physical address of the region's offset 0 (the IOVA base); default: the trace's "
          + "guestmem header, else 0; for a workload 0x100000000 (4 GiB, clear of the x86 interrupt window)")
  Long base;

  @Option(names = "--ram", paramLabel = "GPA:SIZE,...", converter = RamConverter.class,
      description = "a guest with several RAM ranges, each its own region behind one guest memory map, e.g. "
          + "0:2G,4G:4G (RAM below and above the PCI hole); workloads count in RAM offsets (the ranges one after "
          + "the other), traces' guest-physical events are routed by address; excludes --base and --size; default: "
          + "the trace's guestmem header (ram=), else one region")
  RamLayout ram;

  @Option(names = "--strict", description = "fail on trace lines that are not conversion events")
  boolean strict;

  @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "region size, e.g. 64G or 1T; default 64G for workloads, the header's for traces")
  Long size;

  @Option(names = "--granularity", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "block size (power of two, at least 4K); default ${DEFAULT-VALUE}", defaultValue = "4K")
  long granularity;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "workload seed; default 1")
  long seed;

  @Option(names = "--ops", paramLabel = "N", defaultValue = "0",
      description = "operations for the workload (0: its default; see 'guestmem workloads'); at most 1,000,000,000")
  long ops;

  /**
   * The most operations {@code --ops} takes: a billion conversions already run for hours at the measured rates, and
   * a count past it is a typing slip more often than a plan.
   */
  static final long MAX_OPS = 1_000_000_000L;

  @Option(names = "--plug", paramLabel = "none|plugged|unplugged",
      description = "the region's plug source; default: what the workload or trace header asks for")
  String plug;

  /** Parses sizes such as 4K, 1T or 0x100000000, one-line errors naming the text. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Sizes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Parses an address such as 0x100000000 or 4G; the error calls it an address, as the option does. */
  static final class AddressConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Sizes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage().replaceFirst("^size ", "address "));
      }
    }
  }

  /** Parses a RAM layout; the error names the flag. */
  static final class RamConverter implements ITypeConverter<RamLayout> {
    @Override
    public RamLayout convert(String value) {
      try {
        return RamLayout.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("--ram '" + value + "': " + e.getMessage());
      }
    }
  }

  /**
   * Checks what can be checked before a run: the operation count's bound and that a trace is a readable text file.
   *
   * @throws IllegalArgumentException naming the flag and the rule
   */
  void check() {
    checkOps(ops);
    if (ram != null && (base != null || size != null)) {
      throw new IllegalArgumentException("--ram " + ram.format() + " gives every range's address and size: drop "
          + (base != null ? "--base" : "--size"));
    }
    if (source.trace != null) {
      Outputs.checkTextInput("--trace", source.trace);
    }
  }

  /** The rule for {@code --ops}, shared with {@code trace}. */
  static void checkOps(long ops) {
    if (ops < 0) {
      throw new IllegalArgumentException("--ops " + ops + " must be 0 (the workload's default) or positive");
    }
    if (ops > MAX_OPS) {
      throw new IllegalArgumentException("--ops " + Units.count(ops) + " is above the limit of "
          + Units.count(MAX_OPS) + " operations");
    }
  }

  String workload() {
    return source.workload;
  }

  Path trace() {
    return source.trace;
  }

  OptionalLong base() {
    return base == null ? OptionalLong.empty() : OptionalLong.of(base);
  }

  /** The region size: given, else the trace header's, else 64 GiB for a workload. */
  long regionSize() {
    if (ram != null) {
      return ram.size();
    }
    if (size != null) {
      return size;
    }
    if (source.trace != null) {
      Optional<Long> fromHeader;
      try {
        Optional<TraceHeader> header = TraceHeader.read(source.trace);
        Optional<String> headerRam = header.flatMap(h -> h.get("ram"));
        fromHeader = headerRam.isPresent() ? Optional.of(ramTotal(headerRam.get()))
            : header.flatMap(h -> h.size("size"));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("trace file " + source.trace + " does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trace " + source.trace + ": " + e.getMessage(), e);
      }
      return fromHeader.orElseThrow(() -> new IllegalArgumentException(
          "--size is required: trace " + source.trace + " has no guestmem header giving the region size"));
    }
    return 64L << 30;
  }

  private long ramTotal(String text) {
    try {
      return RamLayout.parse(text).size();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trace " + source.trace + ": header ram='" + text + "': " + e.getMessage(),
          e);
    }
  }
}
