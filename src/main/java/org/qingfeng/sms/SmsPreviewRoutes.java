package org.qingfeng.sms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.encoding.SmsTextException;

/** POST /api/v1/sms/preview: how a text would go out (encoding, characters, parts) before anything is sent. */
public final class SmsPreviewRoutes {
  private static final int MAX_INPUT_CHARS = 10_000;
  private final SmsEncoder encoder;

  public SmsPreviewRoutes(SmsEncoder encoder) {
    this.encoder = encoder;
  }

  public void mount(Router api) {
    api.post("/sms/preview").handler(RoleGuard.anyRole()).handler(this::preview);
  }

  private void preview(RoutingContext ctx) {
    JsonObject body = JsonBody.object(ctx, "text", "signature");
    Object text = body.getValue("text");
    if (!(text instanceof String)) {
      throw Problem.unprocessable("'text' is required and must be a string");
    }
    Object signature = body.getValue("signature");
    if (signature != null && !(signature instanceof String)) {
      throw Problem.unprocessable("'signature' must be a string");
    }
    if (signature != null && ((String) signature).strip().length() > SignedText.MAX_SIGNATURE_LENGTH) {
      throw Problem.unprocessable("'signature' is longer than " + SignedText.MAX_SIGNATURE_LENGTH + " characters");
    }
    if (((String) text).length() > MAX_INPUT_CHARS) {
      throw Problem.unprocessable("'text' is longer than " + MAX_INPUT_CHARS + " characters");
    }
    String full = SignedText.compose((String) signature, (String) text);
    EncodedSms sms = encode(full);
    JsonArray partsText = new JsonArray();
    for (SmsPart p : sms.partList()) {
      partsText.add(p.text());
    }
    ctx.json(new JsonObject()
        .put("encoding", sms.encoding() == org.qingfeng.sms.encoding.SmsEncoding.GSM7 ? "GSM7" : "UCS2")
        .put("characters", sms.characters())
        .put("parts", sms.parts())
        .put("parts_text", partsText));
  }

  private EncodedSms encode(String text) {
    try {
      return encoder.encode(text, 0);
    } catch (SmsTextException e) {
      throw Problem.unprocessable(e.getMessage(), new JsonObject().put("code", e.code().name()));
    }
  }
}
