package org.qingfeng.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortFileTest {
  @Test
  void aPortIsNeverChosenTwiceInOneJvm() throws Exception {
    // The kernel hands out recently closed ports again: among 500 draws from its ~28,000
    // ephemeral ports, two equal ones are all but certain (birthday bound) without the memory.
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      assertThat(seen.add(PortFile.freePort())).as("draw %d", i).isTrue();
    }
  }
}
