package org.qingfeng.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of processes from /proc (utime + stime): on a shared machine the wall-clock rate of a
 * benchmark depends on the neighbours, the CPU each side spends per row much less so.
 */
final class CpuTicks {
  /** Linux USER_HZ; /proc/PID/stat counts in these. */
  private static final long TICKS_PER_SECOND = 100;

  private CpuTicks() {
  }

  /** The server JVM with the given pid. */
  static List<ProcessHandle> process(long pid) {
    return ProcessHandle.of(pid).map(List::of).orElse(List.of());
  }

  /** A PostgreSQL postmaster serving {@code dataDir} and all its backends and helpers. */
  static List<ProcessHandle> postgres(String dataDir) {
    List<ProcessHandle> out = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres -D " + dataDir)).orElse(false))
        .forEach(p -> {
          out.add(p);
          try (Stream<ProcessHandle> kids = p.descendants()) {
            kids.forEach(out::add);
          }
        });
    return out;
  }

  /**
   * CPU milliseconds of a process's threads, summed by thread name with digits folded
   * ("vert.x-eventloop-thread-N"), so a run can say where the server's CPU went.
   */
  static Map<String, Long> byThread(long pid) {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(task -> {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "N");
          out.merge(name, ticks(Files.readString(task.resolve("stat"))) * 1000 / TICKS_PER_SECOND, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      });
    } catch (IOException e) {
      // the process ended
    }
    return out;
  }

  private static long ticks(String stat) {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Summed CPU milliseconds of the processes (ones that have exited count as 0). */
  static long millis(List<ProcessHandle> processes) {
    long ticks = 0;
    for (ProcessHandle p : processes) {
      try {
        ticks += ticks(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")));
      } catch (IOException | RuntimeException e) {
        // the process ended: its time is no longer visible
      }
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }
}
