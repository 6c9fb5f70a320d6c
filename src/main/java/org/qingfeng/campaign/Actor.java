package org.qingfeng.campaign;

import org.qingfeng.auth.Principal;

/** Who made a campaign transition: an API caller or the scheduler. */
public final class Actor {
  public static final Actor SCHEDULER = new Actor(null, "scheduler", "system");

  public final Long tokenId;
  public final String name;
  public final String role;

  public Actor(Long tokenId, String name, String role) {
    this.tokenId = tokenId;
    this.name = name;
    this.role = role;
  }

  public static Actor of(Principal p) {
    return new Actor(p.tokenId(), p.name(), p.role().wireName());
  }
}
