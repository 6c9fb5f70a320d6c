package org.qingfeng.contacts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.Problem;

/** /api/v1/contacts: streamed CSV import (operator), list with filters and keyset cursor, get, delete. */
public final class ContactRoutes {
  /** Path regex to register with {@code RouterAssembly.streamedBody}. */
  public static final String IMPORT_PATH = "/api/v1/contacts/import";

  private final Pool pool;
  private final ContactStore store;
  private final ContactImport.Settings settings;

  public ContactRoutes(Pool pool, ContactStore store, PhoneNumbers numbers, long uploadLimit, int maxRows, int batchSize) {
    this.pool = pool;
    this.store = store;
    this.settings = new ContactImport.Settings(uploadLimit, maxRows, batchSize, numbers);
  }

  public void mount(Router api) {
    api.post("/contacts/import").handler(RoleGuard.require(Role.OPERATOR)).handler(this::importCsv);
    api.get("/contacts").handler(RoleGuard.anyRole()).handler(this::list);
    api.get("/contacts/:id").handler(RoleGuard.anyRole()).handler(this::get);
    api.delete("/contacts/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::delete);
  }

  private void importCsv(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
      throw new Problem(415, "Unsupported media type", "the import body must be text/csv (a header row, then one contact per row)");
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > settings.uploadLimit) {
          throw new Problem(413, "Content too large", "the file is larger than http.upload-limit ("
              + settings.uploadLimit + " bytes); nothing was imported");
        }
      } catch (NumberFormatException e) {
        throw Problem.badRequest("Content-Length is not a number");
      }
    }
    new ContactImport(ctx, pool, store, settings, charsetParam(ctx)).start();
  }

  static Charset charsetParam(RoutingContext ctx) {
    String name = ctx.queryParams().get("charset");
    if (name == null || name.isBlank()) {
      return null;
    }
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "utf-8": case "utf8": return StandardCharsets.UTF_8;
      // GB18030 decodes everything GBK and GB2312 do, and more.
      case "gb18030": case "gbk": case "gb2312": case "cp936": return CsvDecoder.GB18030;
      default:
        throw Problem.badRequest("charset '" + name + "' is not supported; use utf-8 or gb18030 (gbk, gb2312)");
    }
  }

  private void list(RoutingContext ctx) {
    ContactStore.Filter filter = new ContactStore.Filter();
    filter.tags = ctx.queryParam("tag").stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
    filter.unit = optional(ctx, "unit");
    filter.township = optional(ctx, "township");
    Long cursor = Params.optionalLong(ctx, "cursor");
    int limit = Params.limit(ctx, 100, 1000);
    boolean mask = maskFor(ctx);
    store.page(filter, cursor, limit + 1).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.stream().limit(limit).forEach(c -> items.add(c.toJson(mask)));
      String next = page.size() > limit ? Long.toString(page.get(limit - 1).id) : null;
      ctx.json(new JsonObject().put("items", items).put("next_cursor", next));
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id = Params.id(ctx, "contact");
    store.get(id).onSuccess(c -> {
      if (c.isEmpty()) {
        ctx.fail(Problem.notFound("no contact with id " + id));
      } else {
        ctx.json(c.get().toJson(maskFor(ctx)));
      }
    }).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long id = Params.id(ctx, "contact");
    store.delete(id).onSuccess(deleted -> {
      if (deleted) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(Problem.notFound("no contact with id " + id));
      }
    }).onFailure(err -> ctx.fail(isForeignKey(err)
        ? Problem.conflict("contact " + id + " is referenced (e.g. by a campaign's messages) and cannot be deleted")
        : err));
  }

  /** Viewers see masked numbers; operators, approvers and admins see them whole. */
  static boolean maskFor(RoutingContext ctx) {
    Principal p = Principal.of(ctx);
    return p == null || p.role() == Role.VIEWER;
  }

  static boolean isForeignKey(Throwable err) {
    return err instanceof PgException && "23503".equals(((PgException) err).getSqlState());
  }

  private static String optional(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
