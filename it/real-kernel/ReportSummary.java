import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints per-suite counts from the JUnit console launcher's XML report of the real-kernel run and exits non-zero
 * if anything failed, if nothing ran, or if a test was skipped that {@code expected-skips.txt} does not list. A suite
 * is a test class (the report's {@code classname}). Skips are never silent: every one is printed, with the reason
 * from the list, and an unlisted one fails the run because it would hide an unchecked back-end.
 *
 * <p>Every suite named on the command line must appear in the report: JUnit's class-path scan silently drops a test
 * class it cannot load, so a missing suite fails the run too.
 *
 * <p>Run on the host with {@code java ReportSummary.java <reports dir> <expected-skips.txt> [suite...]}.
 */
public final class ReportSummary {

  /** One line of expected-skips.txt. */
  private record Allowed(String suite, String method, Pattern display, String reason) {
    boolean matches(String suite, String method, String display) {
      return suite.equals(this.suite) && method.equals(this.method)
          && (this.display == null || this.display.matcher(display).matches());
    }
  }

  private static List<Allowed> allowedSkips(Path file) throws Exception {
    List<Allowed> allowed = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String reason = line.contains("#") ? line.substring(line.indexOf('#') + 1).trim() : "";
      String body = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
      if (body.isEmpty()) {
        continue;
      }
      String[] words = body.split("\\s+", 3);
      if (words.length < 2) {
        throw new IllegalArgumentException(file + ": '" + line + "' needs a suite and a test method");
      }
      allowed.add(new Allowed(words[0], words[1], words.length == 3 ? Pattern.compile(words[2]) : null, reason));
    }
    return allowed;
  }

  private static final Pattern DISPLAY_NAME = Pattern.compile("(?m)^display-name: (.*)$");

  private static final class Counts {
    int tests;
    int failed;
    int skipped;
    int unexpected;
    double seconds;
  }

  public static void main(String[] args) throws Exception {
    Path report = Path.of(args[0], "TEST-junit-jupiter.xml");
    if (!Files.isRegularFile(report)) {
      System.out.println("real-kernel summary: FAIL: no JUnit report at " + report);
      System.exit(1);
    }
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
    NodeList cases = doc.getElementsByTagName("testcase");
    List<Allowed> allowed = allowedSkips(Path.of(args[1]));
    Map<String, Counts> suites = new TreeMap<>();
    Counts total = new Counts();
    StringBuilder problems = new StringBuilder();
    java.util.SortedSet<String> skips = new java.util.TreeSet<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      String suite = c.getAttribute("classname");
      String simple = suite.substring(suite.lastIndexOf('.') + 1);
      String method = c.getAttribute("name").replaceFirst("\\(.*$", "");
      Matcher dm = DISPLAY_NAME.matcher(c.getTextContent());
      String display = dm.find() ? dm.group(1).trim() : c.getAttribute("name");
      Counts s = suites.computeIfAbsent(suite, k -> new Counts());
      double seconds = c.getAttribute("time").isEmpty() ? 0 : Double.parseDouble(c.getAttribute("time"));
      boolean failed = c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0;
      boolean skipped = c.getElementsByTagName("skipped").getLength() > 0;
      Allowed why = skipped
          ? allowed.stream().filter(a -> a.matches(simple, method, display)).findFirst().orElse(null) : null;
      boolean unexpected = skipped && why == null;
      for (Counts x : new Counts[] {s, total}) {
        x.tests++;
        x.seconds += seconds;
        x.failed += failed ? 1 : 0;
        x.skipped += skipped ? 1 : 0;
        x.unexpected += unexpected ? 1 : 0;
      }
      if (failed) {
        problems.append(String.format("  FAILED:  %s.%s [%s]%n", simple, method, display));
      } else if (skipped) {
        skips.add(String.format("  %s %s.%s [%s]: %s%n", unexpected ? "UNEXPECTED SKIP:" : "skipped (n/a):",
            simple, method, display, unexpected ? "not listed in expected-skips.txt" : why.reason()));
      }
    }
    System.out.println("real-kernel summary (suite: tests run, passed, failed, skipped as not applicable, seconds):");
    suites.forEach((name, s) -> System.out.printf("  %-38s run %3d, passed %3d, failed %d, skipped %2d, %6.1f s%n",
        name.substring(name.lastIndexOf('.') + 1), s.tests, s.tests - s.failed - s.skipped, s.failed, s.skipped,
        s.seconds));
    System.out.printf("  %-38s run %3d, passed %3d, failed %d, skipped %2d, %6.1f s%n", "TOTAL", total.tests,
        total.tests - total.failed - total.skipped, total.failed, total.skipped, total.seconds);
    skips.forEach(System.out::print);
    System.out.print(problems);
    java.util.Set<String> present = new java.util.HashSet<>();
    suites.keySet().forEach(name -> present.add(name.substring(name.lastIndexOf('.') + 1)));
    List<String> missing = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      if (!present.contains(args[i])) {
        missing.add(args[i]);
      }
    }
    if (!missing.isEmpty()) {
      System.out.println("  MISSING SUITES (compiled but not run, e.g. a class the scan could not load): " + missing);
    }
    boolean ok = total.tests > 0 && total.failed == 0 && total.unexpected == 0 && missing.isEmpty();
    System.out.println("real-kernel summary: " + (ok ? "PASS" : "FAIL"));
    System.exit(ok ? 0 : 1);
  }
}
