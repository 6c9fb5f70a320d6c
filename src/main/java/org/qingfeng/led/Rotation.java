package org.qingfeng.led;

/**
 * Spreads a rule library of R rules over a group of S screens and over days. On day d, screen s
 * shows K consecutive rules (mod R) starting at ((d * S + s) * K) mod R: the group covers S * K
 * new rules a day, so every rule is scheduled within ceil(R / (S * K)) days, and a screen's K
 * rules of one day are distinct whenever K <= R (it repeats only after it has seen them all).
 */
public final class Rotation {
  private Rotation() {
  }

  /** Positions (indexes into the library's rule order) that screen s shows on day d. */
  public static int[] positions(int rules, int screens, int screenIndex, long dayIndex, int perDay) {
    if (rules <= 0 || screens <= 0 || perDay <= 0 || dayIndex < 0) {
      return new int[0];
    }
    if (screenIndex < 0 || screenIndex >= screens) {
      throw new IllegalArgumentException("screen index " + screenIndex + " outside 0.." + (screens - 1));
    }
    int k = perDay;
    long start = Math.floorMod((dayIndex * screens + screenIndex) % rules * (long) k, (long) rules);
    int[] out = new int[k];
    for (int j = 0; j < k; j++) {
      out[j] = (int) ((start + j) % rules);
    }
    return out;
  }

  /**
   * Default rules a screen gets a day: as many as fit in its showing time at the library's
   * dwell (so it never loops over a short list while unseen rules wait), at most the library.
   */
  public static int defaultPerDay(int rules, int showingSeconds, int dwellSeconds) {
    int capacity = Math.max(1, showingSeconds / Math.max(1, dwellSeconds));
    return Math.max(1, Math.min(rules, capacity));
  }
}
