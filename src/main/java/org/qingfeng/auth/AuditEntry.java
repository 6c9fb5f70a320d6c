package org.qingfeng.auth;

/** One audited call. */
public final class AuditEntry {
  public Long actorId;
  public String actorName;
  public String actorRole;
  public String action;
  public String target;
  public int outcome;
  public String requestId;
  public String remote;
}
