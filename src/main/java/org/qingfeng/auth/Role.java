package org.qingfeng.auth;

import java.util.Locale;
import java.util.Optional;

/** Operator roles. An admin may do everything; the others only what their routes allow. */
public enum Role {
  ADMIN, OPERATOR, APPROVER, VIEWER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
