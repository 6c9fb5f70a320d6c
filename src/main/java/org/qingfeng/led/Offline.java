package org.qingfeng.led;

import java.time.Instant;

/** The offline rule: a screen not seen for 1.1 x its poll interval plus a grace is offline. */
public final class Offline {
  private Offline() {
  }

  public static boolean isOffline(Instant lastSeen, int pollIntervalS, int graceS, Instant now) {
    if (lastSeen == null) {
      return true;
    }
    long limitMs = pollIntervalS * 1100L + graceS * 1000L;
    return now.toEpochMilli() - lastSeen.toEpochMilli() > limitMs;
  }
}
