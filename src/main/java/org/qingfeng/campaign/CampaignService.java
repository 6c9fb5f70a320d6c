package org.qingfeng.campaign;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;

/** The campaign lifecycle as the API drives it: create, edit, four-eyes approval, pause/resume/cancel, test sends. */
public final class CampaignService {
  static final int MAX_TEST_NUMBERS = 5;

  private final CampaignStore store;
  private final LedgerStore ledger;
  private final MessageRenderer renderer;
  private final SmsEncoder encoder;
  private final SmsGateway gateway;
  private final Clock clock;

  public CampaignService(CampaignStore store, LedgerStore ledger, MessageRenderer renderer, SmsEncoder encoder,
      SmsGateway gateway, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.renderer = renderer;
    this.encoder = encoder;
    this.gateway = gateway;
    this.clock = clock;
  }

  public Future<Campaign> create(CampaignSpec spec, Actor who) {
    return checkContentAndAudience(spec).compose(v -> store.insert(spec, who, clock.instant()));
  }

  public Future<Campaign> edit(long id, CampaignSpec spec, Actor who) {
    return checkContentAndAudience(spec).compose(v -> store.update(id, spec, who, clock.instant()));
  }

  /** Nothing is written unless the text can be rendered and encoded and the audience selects somebody. */
  private Future<Void> checkContentAndAudience(CampaignSpec spec) {
    return renderer.prepare(spec.content).compose(text -> {
      try {
        encoder.encode(text.render(new AudienceContact(0, "", "", "", "")), 0);
      } catch (SmsTextException e) {
        return Future.failedFuture(Problem.unprocessable("the message cannot be sent as SMS: " + e.getMessage()));
      }
      return store.audienceExists(spec.audience);
    }).compose(any -> any ? Future.succeededFuture()
        : Future.failedFuture(Problem.unprocessable("'audience' matches no contact")));
  }

  public Future<Campaign> submit(long id, Actor who) {
    return store.transition(id, "submit", who, clock.instant(), c -> {
      require(c, CampaignStatus.DRAFT, "submitted");
      return new CampaignStore.Step(CampaignStatus.PENDING_APPROVAL, null, false, false, null);
    });
  }

  public Future<Campaign> approve(long id, Actor who) {
    return store.transition(id, "approve", who, clock.instant(), c -> {
      require(c, CampaignStatus.PENDING_APPROVAL, "approved");
      if (who.tokenId != null && who.tokenId == c.createdBy) {
        throw Problem.forbidden("the campaign's creator may not approve it; a second person must (four-eyes rule)");
      }
      return new CampaignStore.Step(CampaignStatus.SCHEDULED, null, false, true, null);
    });
  }

  public Future<Campaign> reject(long id, Actor who, String reason) {
    return store.transition(id, "reject", who, clock.instant(), c -> {
      require(c, CampaignStatus.PENDING_APPROVAL, "rejected");
      return new CampaignStore.Step(CampaignStatus.DRAFT, null, false, false, reason);
    });
  }

  public Future<Campaign> pause(long id, Actor who) {
    return store.transition(id, "pause", who, clock.instant(), c -> {
      if (c.status != CampaignStatus.RUNNING && !(c.status == CampaignStatus.PAUSED && "window".equals(c.pauseReason))) {
        throw Problem.conflict("campaign " + id + " is " + describe(c) + "; only a running or window-held campaign can be paused");
      }
      return new CampaignStore.Step(CampaignStatus.PAUSED, "operator", false, false, null);
    });
  }

  public Future<Campaign> resume(long id, Actor who) {
    return store.transition(id, "resume", who, clock.instant(), c -> {
      if (c.status != CampaignStatus.PAUSED || !"operator".equals(c.pauseReason)) {
        throw Problem.conflict("campaign " + id + " is " + describe(c) + "; only a campaign paused by an operator can be"
            + " resumed (a window-held one resumes when its window opens)");
      }
      return new CampaignStore.Step(CampaignStatus.RUNNING, null, true, false, null);
    });
  }

  public Future<Campaign> cancel(long id, Actor who) {
    return store.transition(id, "cancel", who, clock.instant(), c -> {
      if (c.status.isFinal()) {
        throw Problem.conflict("campaign " + id + " is already " + c.status.wireName());
      }
      return new CampaignStore.Step(CampaignStatus.CANCELLED, null, false, false, null);
    });
  }

  /** Sends the campaign's text to a few numbers before approval; not part of the ledger or the frequency cap. */
  public Future<JsonObject> testSend(long id, List<String> phones, Actor who) {
    if (phones.isEmpty() || phones.size() > MAX_TEST_NUMBERS) {
      return Future.failedFuture(Problem.unprocessable("'phones' must hold 1 to " + MAX_TEST_NUMBERS + " numbers"));
    }
    for (String p : phones) {
      if (!Phones.validE164(p)) {
        return Future.failedFuture(Problem.unprocessable("'" + PhoneMask.mask(p) + "' is not a valid E.164 number (e.g. +8613812345678)"));
      }
    }
    if (gateway == null) {
      return Future.failedFuture(Problem.unavailable("no SMS channel is available on this instance"));
    }
    return store.get(id).compose(c -> {
      if (c == null) {
        return Future.failedFuture(Problem.notFound("no campaign with id " + id));
      }
      if (c.status != CampaignStatus.DRAFT && c.status != CampaignStatus.PENDING_APPROVAL) {
        return Future.failedFuture(Problem.conflict("test sends are for drafts and campaigns awaiting approval; campaign "
            + id + " is " + c.status.wireName()));
      }
      return renderer.prepare(c.content).compose(text -> sendTests(c, text, phones, who));
    });
  }

  private Future<JsonObject> sendTests(Campaign c, MessageRenderer.ContactText text, List<String> phones, Actor who) {
    List<Future<SendResult>> sends = new ArrayList<>();
    long stamp = clock.millis();
    for (int i = 0; i < phones.size(); i++) {
      String body = text.render(new AudienceContact(0, phones.get(i), "", "", ""));
      sends.add(gateway.send(c.channel, "test-" + c.id + "-" + stamp + "-" + i, phones.get(i), body)
          .recover(err -> Future.succeededFuture(SendResult.unknown(err.toString()))));
    }
    return Future.join(sends).transform(ar -> {
      JsonArray results = new JsonArray();
      for (int i = 0; i < phones.size(); i++) {
        SendResult r = sends.get(i).result();
        results.add(new JsonObject().put("phone", phones.get(i)).put("status", r.status.name().toLowerCase())
            .put("error", r.error));
      }
      String detail = results.stream().map(o -> PhoneMask.mask(((JsonObject) o).getString("phone")) + " "
          + ((JsonObject) o).getString("status")).collect(Collectors.joining(", "));
      return store.recordEvent(c.id, "test_send", who, detail, clock.instant())
          .map(v -> new JsonObject().put("campaign_id", c.id).put("results", results));
    });
  }

  public Future<JsonObject> details(long id) {
    return store.get(id).compose(c -> {
      if (c == null) {
        return Future.failedFuture(Problem.notFound("no campaign with id " + id));
      }
      return ledger.progress(id).compose(progress -> store.events(id).map(events -> c.toJson()
          .put("progress", progress.put("audience_matched", c.audienceMatched)
              .put("excluded", new JsonObject().put("opted_out", c.excludedOptedOut).put("invalid", c.excludedInvalid)
                  .put("capped", c.excludedCapped))
              .put("outcome_unknown", c.outcomeUnknown).put("expansion_done", c.expandDone))
          .put("events", events)));
    });
  }

  private static void require(Campaign c, CampaignStatus expected, String verb) {
    if (c.status != expected) {
      throw Problem.conflict("campaign " + c.id + " is " + describe(c) + "; only a campaign in "
          + expected.wireName() + " can be " + verb);
    }
  }

  private static String describe(Campaign c) {
    return c.status.wireName() + (c.pauseReason == null ? "" : " (" + c.pauseReason + ")");
  }
}
