package org.qingfeng.faults;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The size of a fault run. {@code maxRate} is the campaign's max_rate (per sender instance): it
 * keeps the blast long enough for every fault to land in the middle of it.
 */
record FaultSettings(int recipients, int screens, int maxRate, long dropLinksEveryMs, int playBatch, Path workDir,
    Duration blastTimeout, Duration settleTimeout) {

  /** CI's form: a few thousand recipients, tens of screens, a few minutes on a loaded 2-core machine. */
  static FaultSettings shortRun(Path workDir) {
    return new FaultSettings(3_000, 20, 30, 5_000, 10, workDir, Duration.ofMinutes(4), Duration.ofSeconds(90));
  }

  /** The form: 100,000 recipients and 500 polling screens. */
  static FaultSettings full(Path workDir) {
    return new FaultSettings(100_000, 500, 400, 5_000, 20, workDir, Duration.ofMinutes(20), Duration.ofMinutes(3));
  }

  FaultSettings with(int recipients, int screens, int maxRate) {
    return new FaultSettings(recipients, screens, maxRate, dropLinksEveryMs, playBatch, workDir, blastTimeout, settleTimeout);
  }
}
