package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 5,000 rules over 100 screens for 30 days: all scheduled, no repeat within a screen's day while it has unseen rules. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LedRotationTest {

  @Test
  void fiveThousandRulesOverAHundredScreensForThirtyDays() {
    // A twelve-hour daypart at 30 s a rule would allow 1,440 a day; ask for fewer to make coverage take days.
    for (int perDay : new int[] {1, 7, 50, Rotation.defaultPerDay(5000, 12 * 3600, 30)}) {
      check(5000, 100, 30, perDay);
    }
  }

  @Test
  void smallAndAwkwardShapes() {
    check(7, 3, 5, 2);
    check(10, 4, 3, 10);
    check(1, 5, 2, 1);
    check(997, 13, 30, 11);
  }

  private static void check(int rules, int screens, int days, int perDay) {
    BitSet everScheduled = new BitSet(rules);
    BitSet[] seenByScreen = new BitSet[screens];
    int[] firstCovered = {-1};
    for (int d = 0; d < days; d++) {
      for (int s = 0; s < screens; s++) {
        int[] today = Rotation.positions(rules, screens, s, d, perDay);
        BitSet seen = seenByScreen[s] == null ? (seenByScreen[s] = new BitSet(rules)) : seenByScreen[s];
        int unseenBefore = rules - seen.cardinality();
        long repeats = java.util.Arrays.stream(today).distinct().filter(seen::get).count();
        // A rule the screen has had comes back only on a day that also gives it every rule it has not.
        assertThat(repeats == 0 || Math.min(perDay, rules) - repeats >= unseenBefore)
            .as("screen %d day %d: %d rules again while %d never shown", s, d, repeats, unseenBefore).isTrue();
        for (int p : today) {
          seen.set(p);
        }
        assertThat(today).hasSize(perDay);
        Set<Integer> distinct = new HashSet<>();
        for (int p : today) {
          assertThat(p).isBetween(0, rules - 1);
          distinct.add(p);
          everScheduled.set(p);
        }
        // A repeat within the day happens only once the screen has shown every rule that day.
        assertThat(distinct).as("screen %d day %d", s, d).hasSize(Math.min(perDay, rules));
      }
      if (firstCovered[0] < 0 && everScheduled.cardinality() == rules) {
        firstCovered[0] = d;
      }
    }
    long needed = (rules + (long) screens * perDay - 1) / ((long) screens * perDay);
    if (needed <= days) {
      assertThat(everScheduled.cardinality()).as("rules=%d screens=%d perDay=%d", rules, screens, perDay).isEqualTo(rules);
      assertThat(firstCovered[0] + 1L).isLessThanOrEqualTo(needed);
    }
  }

  @Test
  void thirtyDaysOfOneRuleAScreenCoverFiveThousandRulesInFiftyDaysNotThirty() {
    // The guarantee is honest about capacity: 100 screens x 1 rule x 30 days = 3,000 < 5,000.
    BitSet seen = new BitSet();
    for (int d = 0; d < 30; d++) {
      for (int s = 0; s < 100; s++) {
        for (int p : Rotation.positions(5000, 100, s, d, 1)) {
          seen.set(p);
        }
      }
    }
    assertThat(seen.cardinality()).isEqualTo(3000);
  }
}
