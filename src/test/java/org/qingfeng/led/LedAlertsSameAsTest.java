package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qingfeng.led.LedSnapshot.Alert;
import org.qingfeng.led.LedSnapshot.Alerts;

/**
 * An alert's POST and the NOTIFY of its own transaction both reload the alerts; the runtime
 * keeps the loaded part only when it differs, so the second load must compare equal, and any
 * change a screen would see must not.
 */
class LedAlertsSameAsTest {
  static final Instant CREATED = Instant.parse("2026-02-01T08:00:00Z");
  static final Instant EXPIRES = Instant.parse("2026-02-01T09:00:00Z");

  static Alert alert(long id, String text, Instant expires, Set<Long> screens) {
    return new Alert(id, text, LedText.hash(text), CREATED, expires, screens);
  }

  @Test
  void theSameAlertsLoadedTwiceCompareEqual() {
    Alerts first = new Alerts(List.of(alert(2, "紧急通知", EXPIRES, Set.of(1L, 2L, 3L)), alert(1, "封路", EXPIRES, Set.of(4L))));
    Alerts second = new Alerts(List.of(alert(2, "紧急通知", EXPIRES, Set.of(3L, 2L, 1L)), alert(1, "封路", EXPIRES, Set.of(4L))));
    assertThat(first.sameAs(second)).isTrue();
    assertThat(new Alerts(List.of()).sameAs(new Alerts(List.of()))).isTrue();
  }

  @Test
  void anyChangeAScreenWouldSeeMakesThemDiffer() {
    Alerts base = new Alerts(List.of(alert(2, "紧急通知", EXPIRES, Set.of(1L, 2L))));
    assertThat(base.sameAs(null)).isFalse();
    assertThat(base.sameAs(new Alerts(List.of()))).isFalse();
    assertThat(base.sameAs(new Alerts(List.of(alert(3, "紧急通知", EXPIRES, Set.of(1L, 2L)))))).as("id").isFalse();
    assertThat(base.sameAs(new Alerts(List.of(alert(2, "紧急通知!", EXPIRES, Set.of(1L, 2L)))))).as("text").isFalse();
    assertThat(base.sameAs(new Alerts(List.of(alert(2, "紧急通知", EXPIRES.plusSeconds(1), Set.of(1L, 2L)))))).as("expiry").isFalse();
    assertThat(base.sameAs(new Alerts(List.of(alert(2, "紧急通知", EXPIRES, Set.of(1L)))))).as("targets").isFalse();
    assertThat(base.sameAs(new Alerts(List.of(alert(2, "紧急通知", EXPIRES, Set.of(1L, 2L)),
        alert(1, "封路", EXPIRES, Set.of(4L)))))).as("one more").isFalse();
  }
}
