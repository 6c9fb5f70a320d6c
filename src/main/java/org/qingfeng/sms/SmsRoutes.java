package org.qingfeng.sms;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;
import org.qingfeng.sms.smpp.OutboundSms;
import org.qingfeng.sms.smpp.PartOutcome;
import org.qingfeng.sms.smpp.SmppChannel;
import org.qingfeng.sms.smpp.SubmitOutcome;

/**
 * Channel state for ops, and a direct test send through one channel (a handful of numbers):
 * everything is validated before anything is submitted, so bad input sends nothing.
 */
public final class SmsRoutes {
  static final int MAX_TEST_RECIPIENTS = 5;
  private final Supplier<SmsChannels> channels;
  private final SmsEncoder encoder;
  private final String defaultRegion;

  public SmsRoutes(Supplier<SmsChannels> channels, SmsEncoder encoder, String defaultRegion) {
    this.channels = channels;
    this.encoder = encoder;
    this.defaultRegion = defaultRegion;
  }

  public void mount(Router api) {
    api.get("/sms/channels").handler(RoleGuard.anyRole()).handler(this::list);
    api.post("/sms/test-send").handler(RoleGuard.require(Role.OPERATOR)).handler(this::testSend);
  }

  private SmsChannels requireChannels() {
    SmsChannels c = channels.get();
    if (c == null) {
      throw Problem.unavailable("this instance runs no SMS channels (role 'sender' is off, or they are still starting)");
    }
    return c;
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    for (Map.Entry<String, SmppChannel> e : requireChannels().all().entrySet()) {
      SmppChannel ch = e.getValue();
      items.add(new JsonObject()
          .put("name", e.getKey())
          .put("state", ch.state().name())
          .put("host", ch.config().host)
          .put("port", ch.config().port)
          .put("window", ch.config().window)
          .put("window_in_use", ch.windowInUse())
          .put("configured_parts_per_second", ch.config().partsPerSecond)
          .put("current_parts_per_second", ch.currentRate())
          .put("outcome_unknown", ch.outcomeUnknownCount()));
    }
    ctx.json(new JsonObject().put("items", items).put("simulated", requireChannels().simulated()));
  }

  private void testSend(RoutingContext ctx) {
    JsonObject body = JsonBody.object(ctx, "channel", "to", "text", "signature");
    SmsChannels all = requireChannels();
    String channelName = body.getString("channel", all.all().keySet().iterator().next());
    SmppChannel channel = all.channel(channelName).orElseThrow(() ->
        Problem.unprocessable("unknown channel '" + channelName + "'; known: " + String.join(", ", all.all().keySet())));
    Object text = body.getValue("text");
    Object signature = body.getValue("signature");
    if (!(text instanceof String) || (signature != null && !(signature instanceof String))) {
      throw Problem.unprocessable("'text' (and 'signature', when given) must be strings");
    }
    String full = SignedText.compose((String) signature, (String) text);
    try {
      encoder.encode(full, 0);
    } catch (SmsTextException e) {
      throw Problem.unprocessable(e.getMessage(), new JsonObject().put("code", e.code().name()));
    }
    List<String> to = recipients(body.getValue("to"));
    List<Future<SubmitOutcome>> sends = new ArrayList<>();
    for (String number : to) {
      sends.add(channel.submit(new OutboundSms("test-" + UUID.randomUUID(), number, full)));
    }
    Future.join(sends).onComplete(ar -> {
      JsonArray results = new JsonArray();
      for (int i = 0; i < to.size(); i++) {
        Future<SubmitOutcome> f = sends.get(i);
        JsonObject r = new JsonObject().put("to", to.get(i));
        if (f.succeeded()) {
          SubmitOutcome o = f.result();
          JsonArray parts = new JsonArray();
          for (PartOutcome p : o.parts()) {
            parts.add(new JsonObject().put("part", p.index()).put("status", p.status()).put("smsc_id", p.smscId())
                .put("command_status", p.commandStatus()));
          }
          r.put("message_id", o.messageId()).put("status", o.status()).put("command_status", o.commandStatus())
              .put("encoding", o.encoding()).put("parts", parts);
        } else {
          r.put("status", "failed").put("error", f.cause().getMessage());
        }
        results.add(r);
      }
      ctx.json(new JsonObject().put("channel", channelName).put("results", results));
    });
  }

  private List<String> recipients(Object raw) {
    if (!(raw instanceof JsonArray) || ((JsonArray) raw).isEmpty()) {
      throw Problem.unprocessable("'to' must be a non-empty array of phone numbers");
    }
    JsonArray arr = (JsonArray) raw;
    if (arr.size() > MAX_TEST_RECIPIENTS) {
      throw Problem.unprocessable("a test send goes to at most " + MAX_TEST_RECIPIENTS + " numbers");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      Object v = arr.getValue(i);
      int index = i;
      String e164 = v instanceof String ? PhoneNumbers.toE164((String) v, defaultRegion).orElse(null) : null;
      if (e164 == null) {
        throw Problem.unprocessable("'to[" + index + "]' is not a valid phone number");
      }
      out.add(e164);
    }
    return out;
  }
}
