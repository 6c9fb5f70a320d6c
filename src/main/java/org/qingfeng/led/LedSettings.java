package org.qingfeng.led;

import org.qingfeng.app.QingfengConfig;

/** The led.* configuration keys the LED domain reads (see conf/qingfeng.yaml). */
public final class LedSettings {
  public int pollIntervalS = 60;
  public int lookaheadH = 24;
  public int maxWaitS = 60;
  public int maxWaiters = 20_000;
  public int lastSeenFlushMs = 5_000;
  public int offlineGraceS = 30;
  public int playsBatchLimit = 1_000;
  public int playsMaxInflight = 20_000;
  public int textMaxChars = 1_000;
  public int playClockSkewS = 300;

  public static LedSettings from(QingfengConfig c) {
    LedSettings s = new LedSettings();
    s.pollIntervalS = c.ledPollIntervalS;
    s.lookaheadH = c.ledLookaheadH;
    s.maxWaitS = c.ledMaxWaitS;
    s.maxWaiters = c.ledMaxWaiters;
    s.lastSeenFlushMs = c.ledLastSeenFlushMs;
    s.offlineGraceS = c.ledOfflineGraceS;
    s.playsBatchLimit = c.ledPlaysBatchLimit;
    s.playsMaxInflight = c.ledPlaysMaxInflight;
    s.textMaxChars = c.ledTextMaxChars;
    s.playClockSkewS = c.ledPlayClockSkewS;
    return s;
  }
}
