package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.qingfeng.http.Problem;

/**
 * POST /api/v1/led/items/import?library=NAME: a text/plain file, one rule per line, streamed
 * (never held whole) into one transaction in batches of 1,000 (unnest). Blank lines are skipped;
 * a text the library already holds is not added twice. Any bad line (too long, not UTF-8, a
 * control character) rolls the whole import back: 422 naming the line.
 */
public final class RuleImporter {
  static final int BATCH = 1000;
  static final int MAX_LINES = 100_000;
  private final Pool pool;
  private final LedRuntime runtime;
  private final long uploadLimit;

  public RuleImporter(Pool pool, LedRuntime runtime, long uploadLimit) {
    this.pool = pool;
    this.runtime = runtime;
    this.uploadLimit = uploadLimit;
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    String type = req.getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("text/plain")) {
      throw new Problem(415, "Unsupported media type", "the rule file must be text/plain (UTF-8), one rule per line");
    }
    String library = ctx.queryParams().get("library");
    if (library == null || library.isBlank() || library.length() > 200) {
      throw Problem.unprocessable("query parameter 'library' (the rule library's name, up to 200 characters) is required");
    }
    JsonObject q = new JsonObject();
    ctx.queryParams().forEach(e -> q.put(e.getKey(), numeric(e.getValue())));
    String category = q.containsKey("category") ? ItemInput.oneOf(q, "category", ItemInput.CATEGORIES) : "rule";
    String effect = q.containsKey("effect") ? ItemInput.oneOf(q, "effect", ItemInput.EFFECTS) : "scroll-left";
    int dwell = q.containsKey("dwell_s") ? ItemInput.integer(q, "dwell_s", 1, 3600) : 10;
    int textMax = runtime.settings().textMaxChars;
    // Answered by someone else (408 for a stalled upload) or the connection gone: the run must end
    // too, or its transaction would hold a pooled connection for ever.
    Promise<Void> answered = Promise.promise();
    ctx.addEndHandler(ar -> answered.tryComplete());
    pool.withTransaction(conn -> LedContentStore.libraryId(conn, library.strip())
            .compose(lib -> new Run(req, conn, lib, category, dwell, effect, textMax).start(answered.future()))
            .compose(result -> LedStore.notify(conn, "content").map(result)))
        .compose(result -> runtime.refresh(Set.of("content")).map(result))
        .onSuccess(result -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(result.encode()))
        .onFailure(ctx::fail);
  }

  private static Object numeric(String v) {
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /** One upload: splits lines, checks them, inserts batches with the request paused. */
  private final class Run {
    private final HttpServerRequest req;
    private final SqlConnection conn;
    private final long libraryId;
    private final String category;
    private final int dwell;
    private final String effect;
    private final int textMax;
    private final Promise<JsonObject> done = Promise.promise();
    private final Set<String> seen = new HashSet<>();
    private final List<String> texts = new ArrayList<>();
    private final List<String> hashes = new ArrayList<>();
    private Buffer partial = Buffer.buffer();
    private long bytes;
    private int lineNo;
    private int added;
    private int blank;
    private int duplicates;
    private boolean ended;
    private Future<Void> inserting = Future.succeededFuture();

    Run(HttpServerRequest req, SqlConnection conn, long libraryId, String category, int dwell, String effect, int textMax) {
      this.req = req;
      this.conn = conn;
      this.libraryId = libraryId;
      this.category = category;
      this.dwell = dwell;
      this.effect = effect;
      this.textMax = textMax;
    }

    Future<JsonObject> start(Future<Void> answered) {
      if (answered.isComplete()) {
        return Future.failedFuture(Problem.badRequest("the request was answered before the upload was read"));
      }
      answered.onComplete(v -> done.tryFail(Problem.badRequest("the request was answered before the upload ended")));
      req.handler(this::chunk);
      req.endHandler(v -> {
        ended = true;
        guard(() -> {
          if (partial.length() > 0) {
            line(partial);
            partial = Buffer.buffer();
          }
          if (seen.isEmpty()) {
            // Else an empty upload would answer 201 and leave a new, empty library behind.
            throw Problem.unprocessable("the file holds no rule (" + lineNo + " lines, all blank); nothing was imported");
          }
          flush(true);
        });
      });
      req.exceptionHandler(err -> done.tryFail(Problem.badRequest("the upload broke off: " + err.getMessage())));
      req.resume();
      return done.future();
    }

    private void chunk(Buffer b) {
      if (done.future().isComplete()) {
        return;
      }
      guard(() -> {
        bytes += b.length();
        if (bytes > uploadLimit) {
          throw new Problem(413, "Content too large", "the file is larger than http.upload-limit (" + uploadLimit + " bytes)");
        }
        Buffer data = partial.length() == 0 ? b : partial.appendBuffer(b);
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
          if (data.getByte(i) == '\n') {
            line(data.slice(start, i));
            start = i + 1;
          }
        }
        partial = data.slice(start, data.length()).copy();
        if (partial.length() > textMax * 4 + 16) {
          throw Problem.unprocessable("line " + (lineNo + 1) + " is longer than " + textMax + " characters; nothing was imported");
        }
        if (texts.size() >= BATCH) {
          flush(false);
        }
      });
    }

    private void line(Buffer raw) {
      lineNo++;
      if (lineNo > MAX_LINES) {
        throw Problem.unprocessable("the file has more than " + MAX_LINES + " lines; split it; nothing was imported");
      }
      String s;
      try {
        s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw.getBytes())).toString();
      } catch (CharacterCodingException e) {
        throw Problem.unprocessable("line " + lineNo + " is not valid UTF-8; nothing was imported");
      }
      if (lineNo == 1 && s.startsWith("\uFEFF")) {
        s = s.substring(1);
      }
      if (s.strip().isEmpty()) {
        blank++;
        return;
      }
      String text = LedText.clean(s, textMax, "line " + lineNo);
      String hash = LedText.hash(text);
      if (!seen.add(hash)) {
        duplicates++;
        return;
      }
      texts.add(text);
      hashes.add(hash);
    }

    /** Inserts what is buffered with the upload paused; at the end, completes the run. */
    private void flush(boolean last) {
      List<String> t = new ArrayList<>(texts);
      List<String> h = new ArrayList<>(hashes);
      texts.clear();
      hashes.clear();
      req.pause();
      inserting = inserting.compose(v -> t.isEmpty() ? Future.succeededFuture(0)
              : LedContentStore.insertRules(conn, libraryId, t, h, category, dwell, effect))
          .map(n -> {
            added += n;
            return (Void) null;
          });
      inserting.onFailure(done::tryFail).onSuccess(v -> {
        if (last) {
          done.tryComplete(new JsonObject().put("library_id", libraryId).put("lines", lineNo).put("added", added)
              .put("already_in_library", seen.size() - added).put("duplicate_lines", duplicates).put("blank_lines", blank));
        } else if (!ended) {
          req.resume();
        }
      });
    }

    private void guard(Runnable r) {
      try {
        r.run();
      } catch (Problem p) {
        done.tryFail(p);
      }
    }
  }
}
