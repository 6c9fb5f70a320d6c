package org.qingfeng.campaign;

import io.vertx.core.Future;

/**
 * Turns a campaign's content (literal text, or a template once the contacts/templates domain
 * plugs its {@code TemplateRenderer} in here) into each contact's text.
 */
public interface MessageRenderer {
  /**
   * Resolves the content once (e.g. loads and checks a template). Fails with a 422
   * {@link org.qingfeng.http.Problem} when the content cannot be used.
   */
  Future<ContactText> prepare(CampaignContent content);

  /** The text for one contact; called on the event loop, so it must not block. */
  @FunctionalInterface
  interface ContactText {
    String render(AudienceContact contact);
  }
}
