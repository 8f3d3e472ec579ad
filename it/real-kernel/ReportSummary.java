import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints per-suite counts from the JUnit console launcher's XML report of the real-kernel run and exits non-zero
 * if anything failed, was skipped or if nothing ran. A suite is a test class (the report's {@code classname}); a
 * skipped test counts against the run because in the VM every test has what it needs, so a skip would hide an
 * unchecked back-end. Run on the host with {@code java ReportSummary.java <reports dir>}.
 */
public final class ReportSummary {

  private static final class Counts {
    int tests;
    int failed;
    int skipped;
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
    Map<String, Counts> suites = new TreeMap<>();
    Counts total = new Counts();
    StringBuilder problems = new StringBuilder();
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      String suite = c.getAttribute("classname");
      Counts s = suites.computeIfAbsent(suite, k -> new Counts());
      double seconds = c.getAttribute("time").isEmpty() ? 0 : Double.parseDouble(c.getAttribute("time"));
      boolean failed = c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0;
      boolean skipped = c.getElementsByTagName("skipped").getLength() > 0;
      for (Counts x : new Counts[] {s, total}) {
        x.tests++;
        x.seconds += seconds;
        x.failed += failed ? 1 : 0;
        x.skipped += skipped ? 1 : 0;
      }
      if (failed || skipped) {
        problems.append(String.format("  %s: %s.%s%n", failed ? "FAILED " : "SKIPPED", suite, c.getAttribute("name")));
      }
    }
    System.out.println("real-kernel summary (suite: tests run, failed, skipped, seconds):");
    suites.forEach((name, s) -> System.out.printf("  %-72s run %3d, failed %d, skipped %d, %6.1f s%n",
        name, s.tests, s.failed, s.skipped, s.seconds));
    System.out.printf("  %-72s run %3d, failed %d, skipped %d, %6.1f s%n",
        "TOTAL", total.tests, total.failed, total.skipped, total.seconds);
    System.out.print(problems);
    boolean ok = total.tests > 0 && total.failed == 0 && total.skipped == 0;
    System.out.println("real-kernel summary: " + (ok ? "PASS" : "FAIL"));
    System.exit(ok ? 0 : 1);
  }
}
