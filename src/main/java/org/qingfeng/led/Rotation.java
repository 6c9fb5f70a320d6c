package org.qingfeng.led;

/**
 * Spreads a rule library of R rules over a group of S screens and over days. Screen s starts at
 * rule s * ceil(R / S) and walks the library from there, K rules a day: on day d it shows the K
 * consecutive rules (mod R) from s * ceil(R / S) + d * K. So a screen shows no rule twice in a day
 * (K <= R) and none again on a later day until it has been given every rule of the library; and
 * the screens' walks start ceil(R / S) apart, so the group has scheduled every rule within
 * ceil(R / (S * K)) days.
 *
 * <p>(Until 2026-12-07 screen s started day d at (d * S + s) * K mod R: each day's set was
 * distinct, but a screen came back to its first day's rules after R / gcd(S * K, R) days, e.g.
 * on day 5 for 5,000 rules, 100 screens and 20 a day, with 4,900 rules it had never shown.)
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
    long stride = (rules + (long) screens - 1) / screens;
    long start = Math.floorMod(screenIndex * stride + dayIndex % rules * k, (long) rules);
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
