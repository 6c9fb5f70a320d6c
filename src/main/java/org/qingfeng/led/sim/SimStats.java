package org.qingfeng.led.sim;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of a simulated fleet, printed once a second. */
public final class SimStats {
  public final AtomicLong polls = new AtomicLong();
  public final AtomicLong ok = new AtomicLong();
  public final AtomicLong notModified = new AtomicLong();
  public final AtomicLong errors = new AtomicLong();
  public final AtomicLong shown = new AtomicLong();
  public final AtomicLong alertsShown = new AtomicLong();
  public final AtomicLong playsPosted = new AtomicLong();
  public final AtomicLong playsRefused = new AtomicLong();
  private long lastPolls;
  private long lastShown;

  /** One summary line; rates are per second since the previous line. */
  public synchronized String line(long elapsedS, int screens) {
    long p = polls.get();
    long s = shown.get();
    String out = String.format("t=%ds screens=%d polls=%d (+%d/s) 200=%d 304=%d errors=%d shown=%d (+%d/s) alerts_shown=%d "
            + "plays_posted=%d plays_refused=%d", elapsedS, screens, p, p - lastPolls, ok.get(), notModified.get(),
        errors.get(), s, s - lastShown, alertsShown.get(), playsPosted.get(), playsRefused.get());
    lastPolls = p;
    lastShown = s;
    return out;
  }
}
