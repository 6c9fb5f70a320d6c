package org.qingfeng.campaign;

import io.vertx.core.Future;
import org.qingfeng.contacts.template.TemplateRenderer;
import org.qingfeng.contacts.template.TemplateStore;
import org.qingfeng.contacts.template.TemplateSyntaxException;
import org.qingfeng.http.Problem;

/**
 * Renders campaigns that name a template: {name}, {unit}, {township} from each contact,
 * {festival} from the campaign. The campaign's own signature, when it has one, replaces the
 * template's. Literal-text campaigns go to {@link LiteralTextRenderer}.
 */
public final class TemplateMessageRenderer implements MessageRenderer {
  private final TemplateStore templates;
  private final LiteralTextRenderer literal = new LiteralTextRenderer();

  public TemplateMessageRenderer(TemplateStore templates) {
    this.templates = templates;
  }

  @Override
  public Future<ContactText> prepare(CampaignContent content) {
    if (content.templateId == null) {
      return literal.prepare(content);
    }
    return templates.get(content.templateId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.unprocessable("template " + content.templateId + " does not exist"));
      }
      String signature = content.signature == null || content.signature.isBlank()
          ? found.get().signature : content.signature;
      TemplateRenderer renderer;
      try {
        renderer = TemplateRenderer.compile(found.get().body, signature);
      } catch (TemplateSyntaxException e) {
        return Future.failedFuture(Problem.unprocessable("template " + content.templateId + ": " + e.getMessage()));
      }
      String festival = content.festival == null ? "" : content.festival;
      return Future.succeededFuture(c -> renderer.render(c.name, c.unit, c.township, festival));
    });
  }
}
