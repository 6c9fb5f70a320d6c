package org.qingfeng.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one fault run and every violation of the promise found in them. */
final class FaultReport {
  /** One fault injected during the blast: what, when, and how far the blast was. */
  record Fault(String what, double atSeconds, long distinctAtStart, double tookSeconds) {
  }

  final Map<String, Object> figures = new LinkedHashMap<>();
  final List<Fault> faults = new ArrayList<>();
  /** Numbers the SMSC got more than once, each with how its repeats are accounted for. */
  final List<String> resubmitted = new ArrayList<>();
  final List<String> violations = new ArrayList<>();

  void put(String name, Object value) {
    figures.put(name, value);
  }

  void violation(String what) {
    violations.add(what);
  }

  boolean passed() {
    return violations.isEmpty();
  }

  void print(PrintStream out) {
    out.println("== fault run ==");
    figures.forEach((k, v) -> out.println(k + ": " + v));
    out.println("faults injected during the blast:");
    for (Fault f : faults) {
      out.printf("  t=%.1fs  %-40s blast at %d distinct recipients, took %.1fs%n", f.atSeconds(), f.what(),
          f.distinctAtStart(), f.tookSeconds());
    }
    out.println("repeated at the SMSC (number: submits, message.outcome_unknown, connector resubmits):"
        + (resubmitted.isEmpty() ? " none" : ""));
    resubmitted.stream().limit(200).forEach(r -> out.println("  " + r));
    if (resubmitted.size() > 200) {
      out.println("  ... " + (resubmitted.size() - 200) + " more (see resubmits.tsv)");
    }
    if (violations.isEmpty()) {
      out.println("RESULT: PASS (zero missing, every repeat a counted outcome-unknown resubmit, every receipt and play in PostgreSQL)");
    } else {
      out.println("RESULT: FAIL");
      violations.forEach(v -> out.println("  VIOLATION: " + v));
    }
    out.flush();
  }
}
