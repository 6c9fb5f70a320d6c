package org.qingfeng.campaign;

import io.vertx.core.Future;
import org.qingfeng.http.Problem;

/**
 * Renders literal campaign text: the signature (e.g. 【余庆县纪委】) followed by the text, the
 * same for every contact. Template campaigns need the templates domain's renderer; until it is
 * plugged in, a template id is refused with 422.
 */
public final class LiteralTextRenderer implements MessageRenderer {
  @Override
  public Future<ContactText> prepare(CampaignContent content) {
    if (content.templateId != null) {
      return Future.failedFuture(Problem.unprocessable(
          "'template_id' cannot be used: this server has no template renderer; send 'text' instead"));
    }
    String full = content.signature + content.text;
    return Future.succeededFuture(contact -> full);
  }
}
