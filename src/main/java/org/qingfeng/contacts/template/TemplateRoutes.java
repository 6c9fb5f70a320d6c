package org.qingfeng.contacts.template;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.Optional;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.contacts.Contact;
import org.qingfeng.contacts.ContactStore;
import org.qingfeng.contacts.Params;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;

/** /api/v1/templates: operators write templates; anyone may read and preview them. */
public final class TemplateRoutes {
  private final TemplateStore store;
  private final ContactStore contacts;
  private final SmsEncoder encoder;
  private final int maxParts;

  public TemplateRoutes(TemplateStore store, ContactStore contacts, SmsEncoder encoder, int maxParts) {
    this.store = store;
    this.contacts = contacts;
    this.encoder = encoder;
    this.maxParts = maxParts;
  }

  public void mount(Router api) {
    api.post("/templates").handler(RoleGuard.require(Role.OPERATOR)).handler(this::create);
    api.get("/templates").handler(RoleGuard.anyRole()).handler(this::list);
    api.get("/templates/:id").handler(RoleGuard.anyRole()).handler(this::get);
    api.put("/templates/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::replace);
    api.delete("/templates/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::delete);
    api.post("/templates/:id/preview").handler(RoleGuard.anyRole()).handler(this::preview);
  }

  /** A validated write: name, body and signature that compile and fit in sms.max-parts without their placeholders. */
  private static final class Input {
    String name;
    String body;
    String signature;
  }

  private Input input(RoutingContext ctx) {
    JsonObject json = JsonBody.object(ctx, "name", "body", "signature");
    Input in = new Input();
    in.name = JsonBody.requiredString(json, "name", 200);
    in.body = JsonBody.requiredString(json, "body", 2000);
    in.signature = JsonBody.requiredString(json, "signature", 40);
    TemplateRenderer r;
    try {
      r = TemplateRenderer.compile(in.body, in.signature);
    } catch (TemplateSyntaxException e) {
      throw Problem.unprocessable("'body': " + e.getMessage());
    }
    encode(r.render("", "", "", ""), "even without its placeholders, the text");
    return in;
  }

  private void create(RoutingContext ctx) {
    Input in = input(ctx);
    store.insert(in.name, in.body, in.signature, Principal.of(ctx).tokenId())
        .onSuccess(t -> ctx.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json")
            .putHeader("Location", "/api/v1/templates/" + t.id)
            .end(t.toJson().encode()))
        .onFailure(err -> ctx.fail(conflict(err, in.name)));
  }

  private void replace(RoutingContext ctx) {
    long id = Params.id(ctx, "template");
    Input in = input(ctx);
    store.update(id, in.name, in.body, in.signature)
        .onSuccess(t -> respond(ctx, t, id))
        .onFailure(err -> ctx.fail(conflict(err, in.name)));
  }

  private void list(RoutingContext ctx) {
    Long cursor = Params.optionalLong(ctx, "cursor");
    int limit = Params.limit(ctx, 100, 1000);
    store.page(cursor, limit + 1).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.stream().limit(limit).forEach(t -> items.add(t.toJson()));
      String next = page.size() > limit ? Long.toString(page.get(limit - 1).id) : null;
      ctx.json(new JsonObject().put("items", items).put("next_cursor", next));
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id = Params.id(ctx, "template");
    store.get(id).onSuccess(t -> respond(ctx, t, id)).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long id = Params.id(ctx, "template");
    store.delete(id).onSuccess(deleted -> {
      if (deleted) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(Problem.notFound("no template with id " + id));
      }
    }).onFailure(err -> ctx.fail(err instanceof PgException && "23503".equals(((PgException) err).getSqlState())
        ? Problem.conflict("template " + id + " is used by a campaign and cannot be deleted")
        : err));
  }

  /** Renders the template for one contact (and festival) and says how it goes on air. */
  private void preview(RoutingContext ctx) {
    long id = Params.id(ctx, "template");
    JsonObject body = JsonBody.object(ctx, "contact_id", "festival");
    Object contactValue = body.getValue("contact_id");
    if (contactValue != null && !(contactValue instanceof Number)) {
      throw Problem.unprocessable("'contact_id' must be a number");
    }
    Object festivalValue = body.getValue("festival");
    if (festivalValue != null && !(festivalValue instanceof String)) {
      throw Problem.unprocessable("'festival' must be a string");
    }
    String festival = festivalValue == null ? null : ((String) festivalValue).strip();
    if (festival != null && festival.length() > 50) {
      throw Problem.unprocessable("'festival' is longer than 50 characters");
    }
    Long contactId = contactValue == null ? null : ((Number) contactValue).longValue();
    store.get(id).compose(found -> {
      Template t = found.orElseThrow(() -> Problem.notFound("no template with id " + id));
      TemplateRenderer r = compiled(t);
      if (r.needsFestival() && (festival == null || festival.isEmpty())) {
        throw Problem.unprocessable("the template uses {festival}; give 'festival' (e.g. 春节)");
      }
      if (contactId == null) {
        if (r.needsContact()) {
          throw Problem.unprocessable("the template uses contact placeholders; give 'contact_id'");
        }
        return Future.succeededFuture(answer(r.render((Contact) null, festival), null));
      }
      return contacts.get(contactId).map(c -> {
        Contact contact = c.orElseThrow(() -> Problem.unprocessable("no contact with id " + contactId));
        return answer(r.render(contact, festival), contactId);
      });
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private JsonObject answer(String text, Long contactId) {
    EncodedSms sms = encode(text, "the rendered text");
    return new JsonObject()
        .put("text", text)
        .put("contact_id", contactId)
        .put("encoding", sms.encoding().name())
        .put("characters", sms.characters())
        .put("parts", sms.parts())
        .put("max_parts", maxParts);
  }

  private EncodedSms encode(String text, String what) {
    try {
      return encoder.encode(text, 0);
    } catch (SmsTextException e) {
      if (e.code() == SmsTextException.Code.TOO_LONG) {
        throw Problem.unprocessable(what + " is too long: " + e.getMessage(),
            new JsonObject().put("max_parts", maxParts));
      }
      throw Problem.unprocessable(what + " cannot be sent as SMS: " + e.getMessage());
    }
  }

  private static TemplateRenderer compiled(Template t) {
    try {
      return t.renderer();
    } catch (TemplateSyntaxException e) {
      throw Problem.unprocessable("the stored template no longer compiles: " + e.getMessage());
    }
  }

  private static void respond(RoutingContext ctx, Optional<Template> t, long id) {
    if (t.isEmpty()) {
      ctx.fail(Problem.notFound("no template with id " + id));
    } else {
      ctx.json(t.get().toJson());
    }
  }

  private static Throwable conflict(Throwable err, String name) {
    if (err instanceof PgException && "23505".equals(((PgException) err).getSqlState())) {
      return Problem.conflict("a template named '" + name + "' already exists");
    }
    return err;
  }
}
