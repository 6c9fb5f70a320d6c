package org.qingfeng.campaign;

/** What a campaign says: literal text or a template id, plus the signature and the festival name. */
public final class CampaignContent {
  public final String text;
  public final Long templateId;
  public final String signature;
  public final String festival;

  public CampaignContent(String text, Long templateId, String signature, String festival) {
    this.text = text;
    this.templateId = templateId;
    this.signature = signature == null ? "" : signature;
    this.festival = festival == null ? "" : festival;
  }
}
