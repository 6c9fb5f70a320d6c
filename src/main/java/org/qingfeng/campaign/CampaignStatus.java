package org.qingfeng.campaign;

import java.util.Locale;

/** The lifecycle: draft → pending_approval → scheduled → running ⇄ paused → completed | cancelled | expired. */
public enum CampaignStatus {
  DRAFT, PENDING_APPROVAL, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED, EXPIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this == COMPLETED || this == CANCELLED || this == EXPIRED;
  }

  public static CampaignStatus parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** Null when the name is unknown (for query parameters). */
  public static CampaignStatus parseOrNull(String s) {
    for (CampaignStatus st : values()) {
      if (st.wireName().equals(s)) {
        return st;
      }
    }
    return null;
  }
}
