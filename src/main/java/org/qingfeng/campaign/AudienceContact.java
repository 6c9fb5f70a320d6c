package org.qingfeng.campaign;

/** The contact fields a message may be rendered from. */
public final class AudienceContact {
  public final long id;
  public final String phone;
  public final String name;
  public final String unit;
  public final String township;

  public AudienceContact(long id, String phone, String name, String unit, String township) {
    this.id = id;
    this.phone = phone;
    this.name = name;
    this.unit = unit;
    this.township = township;
  }
}
