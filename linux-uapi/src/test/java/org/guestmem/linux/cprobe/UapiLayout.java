package org.guestmem.linux.cprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.guestmem.linux.KernelStruct;

/**
 * One kernel uAPI header as recorded from gcc on x86_64 (each struct's size and field offsets, request numbers and
 * flags), with the JNA {@code Structure}s and the constants class that bind it, and the checks of those bindings
 * against the recorded numbers and against gcc on the installed header. {@link UapiLayoutContract} runs the checks
 * as tests.
 */
public final class UapiLayout {
  /** One struct: its JNA binding, and its recorded size and {@code "field@offset"} pairs. */
  private record Struct(Supplier<KernelStruct> binding, int size, String[] fieldsAtOffsets) {}

  private final String header;
  private final Class<?> constantsClass;
  private final String whenAbsent;
  private final int gccMinimum;
  private final Map<String, Struct> structs = new LinkedHashMap<>();
  private final Map<String, Long> constants = new LinkedHashMap<>();
  private final List<String> gccOnly = new ArrayList<>();

  /**
   * @param header the header under {@code /usr/include}, e.g. {@code "linux/vfio.h"}
   * @param constantsClass the class whose public static fields hold the header's constants, named as in C
   * @param whenAbsent what to say when gcc or the header is missing (how to install it, or why it is missing)
   * @param gccMinimum how many values gcc must at least print when the header is there
   */
  public UapiLayout(String header, Class<?> constantsClass, String whenAbsent, int gccMinimum) {
    this.header = header;
    this.constantsClass = constantsClass;
    this.whenAbsent = whenAbsent;
    this.gccMinimum = gccMinimum;
  }

  /**
   * Adds {@code struct name} as recorded and as JNA binds it.
   *
   * @param fieldsAtOffsets {@code "field@offset"} in declaration order
   */
  public UapiLayout struct(String name, Supplier<KernelStruct> binding, int size, String... fieldsAtOffsets) {
    structs.put(name, new Struct(binding, size, fieldsAtOffsets.clone()));
    return this;
  }

  /** Adds constants as recorded (request numbers, flags): {@code "NAME=value"}, e.g. {@code "X=0x3B64"}. */
  public UapiLayout constants(String... namesAndValues) {
    for (String nv : namesAndValues) {
      String[] p = nv.split("=");
      constants.put(p[0], Long.decode(p[1]));
    }
    return this;
  }

  /** Adds constants that only gcc's values are compared with. */
  public UapiLayout gccConstants(String... names) {
    gccOnly.addAll(List.of(names));
    return this;
  }

  private long javaConstant(String name) throws ReflectiveOperationException {
    return ((Number) constantsClass.getField(name).get(null)).longValue();
  }

  /** Asserts every struct's size, field names and offsets against the recorded numbers. */
  public void assertStructsMatchRecordedLayout() {
    for (Map.Entry<String, Struct> e : structs.entrySet()) {
      KernelStruct s = e.getValue().binding().get();
      String[] spec = e.getValue().fieldsAtOffsets();
      assertEquals(e.getValue().size(), s.size(), "sizeof(struct " + e.getKey() + ")");
      assertEquals(spec.length, s.fields().size(), e.getKey() + " field count");
      for (int i = 0; i < spec.length; i++) {
        String[] fo = spec[i].split("@");
        assertEquals(fo[0], s.fields().get(i), e.getKey() + " field " + i + " name");
        assertEquals(Integer.parseInt(fo[1]), s.offsetOf(fo[0]), "offsetof(" + e.getKey() + ", " + fo[0] + ")");
      }
    }
  }

  /** Asserts every recorded constant against the constants class. */
  public void assertConstantsMatchRecordedValues() throws ReflectiveOperationException {
    for (Map.Entry<String, Long> e : constants.entrySet()) {
      assertEquals(e.getValue().longValue(), javaConstant(e.getKey()), e.getKey());
    }
  }

  /**
   * Compiles a probe of every struct, field and constant against the installed header with gcc, runs it in
   * {@code workDir} and asserts each value it printed against the JNA binding; skipped by assumption when gcc or the
   * header is absent. Prints how many values were compared and what the header does not declare.
   */
  public void assertMatchesInstalledHeader(Path workDir, String testName) throws Exception {
    CLayoutProbe probe = CLayoutProbe.forHeader(header);
    assumeTrue(probe != null, "gcc or /usr/include/" + header + " is absent (" + whenAbsent
        + "): only the recorded numbers were compared");
    for (Map.Entry<String, Struct> e : structs.entrySet()) {
      probe.struct(e.getKey(), e.getValue().binding().get().fields().toArray(new String[0]));
    }
    constants.keySet().forEach(probe::constant);
    gccOnly.forEach(probe::constant);
    Map<String, Long> gcc = probe.run(workDir);
    for (Map.Entry<String, Long> e : gcc.entrySet()) {
      String[] key = e.getKey().split(" ");
      long bound;
      if (key[0].equals("size")) {
        bound = structs.get(key[1]).binding().get().size();
      } else if (key[0].equals("offset")) {
        String[] sf = key[1].split("\\.");
        bound = structs.get(sf[0]).binding().get().offsetOf(sf[1]);
      } else {
        bound = javaConstant(key[1]);
      }
      assertEquals(e.getValue().longValue(), bound, "gcc vs JNA: " + e.getKey());
    }
    System.out.printf("%s: %d values compared with gcc on /usr/include/%s; not declared by that header (compared "
        + "with the recorded numbers only): %s%n", testName, gcc.size(), header, probe.missing());
    assertTrue(gcc.size() >= gccMinimum, "the installed " + header + " declares the bound structs: " + gcc.size()
        + " values compared, expected at least " + gccMinimum);
  }
}
