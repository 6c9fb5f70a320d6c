package org.qingfeng.http.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.http.badinput.ApiOperation.Security;
import org.qingfeng.http.badinput.Wire.Answer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The bad-input catalogue: every operation of the served OpenAPI document gets malformed JSON,
 * wrong types, unknown fields, oversize bodies, invalid UTF-8, huge numbers, SQL- and script-like
 * strings, oversized headers, bad / revoked credentials, the wrong role and slow bodies. Each
 * must be answered with the right 4xx as problem+json with a detail, declared in the document;
 * the server stays ready; and the database is unchanged unless a request was accepted (then
 * the hostile string must be stored verbatim, never executed).
 */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BadInputCatalogueTest {
  static final int BODY_LIMIT = 16 * 1024;
  static final int UPLOAD_LIMIT = 64 * 1024;
  static final long BODY_TIMEOUT_MS = 1500;
  /** How long a slow-body probe waits for its answer: the timeout plus generous room for a loaded machine. */
  static final long SLOW_WAIT_MS = BODY_TIMEOUT_MS * 3 + 5000;
  static final List<String> HOSTILE = List.of("'; drop table contact;--", "<script>alert(1)</script>");
  static final List<String> HUGE = List.of("1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "1e20", "NaN");
  static final List<String> BAD_IDS = List.of("'; drop table contact;--", "<script>alert(1)</script>", "9223372036854775808",
      "1e400", "-0", "NaN", "-1", "0x10");

  static QingfengServer server;
  static Wire wire;
  static List<ApiOperation> operations;
  static Map<String, Catalogue.Entry> catalogue;
  static final Catalogue.Fixtures F = new Catalogue.Fixtures();
  static final java.util.HashMap<String, String> AUTH = new java.util.HashMap<>();
  static String revokedToken;
  static String revokedScreen;
  static FingerprintDb db;
  /** How often each status was answered to a probe: the catalogue must have reached every kind of refusal. */
  static final Map<Integer, Integer> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_HTTP_BODY_LIMIT", String.valueOf(BODY_LIMIT),
        "QINGFENG_HTTP_UPLOAD_LIMIT", String.valueOf(UPLOAD_LIMIT), "QINGFENG_HTTP_BODY_TIMEOUT_MS", String.valueOf(BODY_TIMEOUT_MS)));
    wire = new Wire(server.httpPort());
    db = new FingerprintDb(server.pool());
    Answer doc = wire.send("GET", "/openapi.yaml", null, null, null);
    assertThat(doc.status()).isEqualTo(200);
    operations = ApiOperation.parse(doc.body());
    Fixtures.create(wire, F, AUTH);
    revokedToken = Fixtures.revokedToken(wire);
    revokedScreen = Fixtures.revokedScreen(wire);
    catalogue = Catalogue.entries(F);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void everyOperationHasACatalogueEntryAndDeclaresItsErrors() {
    assertThat(operations).hasSizeGreaterThan(60);
    List<String> missing = new ArrayList<>();
    for (ApiOperation op : operations) {
      if (!catalogue.containsKey(op.key())) {
        missing.add(op.key() + ": no catalogue entry");
      }
      if (op.declared().stream().noneMatch(s -> s >= 400 && s < 500)) {
        missing.add(op.key() + ": declares no 4xx response");
      }
    }
    List<String> stale = new ArrayList<>(catalogue.keySet());
    operations.forEach(op -> stale.remove(op.key()));
    stale.forEach(k -> missing.add(k + ": catalogue entry for an operation the document does not have"));
    assertThat(missing).isEmpty();
  }

  @Test
  void everyOperationRefusesBadInputWithProblemJsonAndWritesNothing() {
    List<String> wrong = new ArrayList<>();
    for (ApiOperation op : operations) {
      Catalogue.Entry e = catalogue.get(op.key());
      if (e == null) {
        continue;
      }
      Probes probes = new Probes(op, e, wrong);
      probes.group("credentials", probes::credentials);
      probes.group("headers", probes::headers);
      probes.group("path", probes::pathParameters);
      probes.group("query", probes::queryParameters);
      probes.group("body", probes::body);
      probes.group("hostile strings", probes::hostileBodyStrings);
    }
    assertThat(wrong).as("%d wrong answers:%n%s", wrong.size(), String.join("\n", wrong)).isEmpty();
    System.out.println("bad-input catalogue: " + operations.size() + " operations, answers by status " + ANSWERS);
    assertThat(ANSWERS.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(2000);
    assertThat(ANSWERS).containsKeys(400, 401, 403, 404, 413, 415, 422, 431);
  }

  @Test
  void slowBodiesAre408WithinTheTimeoutAndWriteNothing() throws Exception {
    FingerprintDb.Print before = db.print();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (ApiOperation op : operations) {
        Catalogue.Entry e = catalogue.get(op.key());
        if (e == null || !op.sendsBody()) {
          continue;
        }
        String type = op.bodyType() == null ? "application/json" : op.bodyType();
        boolean streamed = type.startsWith("text/");
        String auth = authorization(e.role());
        // Stalled: 10 bytes of 1,000, then nothing. Dribbled: one byte every 200 ms (buffered bodies only:
        // an upload that keeps moving is not a stalled one).
        all.add(pool.submit(() -> slow(op, e, auth, type, 0, "stalled", wrong)));
        if (!streamed) {
          all.add(pool.submit(() -> slow(op, e, auth, type, 200, "dribbled", wrong)));
        }
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wire.send("GET", "/health/ready", null, null, null).status()).isEqualTo(200);
    assertThat(db.print().diff(before)).as("rows changed by slow bodies").isEmpty();
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  /** The answer must be a 408 problem, not before the timeout (it is the timeout that answers) and within the wait bound. */
  private static void slow(ApiOperation op, Catalogue.Entry e, String auth, String type, long dribbleMs, String how, List<String> wrong) {
    long t0 = System.nanoTime();
    Answer a = wire.slowBody(op.method(), e.path(), auth, type, 1000, 10, dribbleMs, SLOW_WAIT_MS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (a.status() != 408 || !a.isProblem() || !op.declared().contains(408) || ms < BODY_TIMEOUT_MS) {
      wrong.add(op.key() + " " + how + " body, answered after " + ms + " ms: " + a
          + (op.declared().contains(408) ? "" : " (408 not declared)"));
    }
  }

  static String authorization(String role) {
    return role == null ? null : AUTH.get(role);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The probes of one operation; each adds what it found wrong to a shared list. */
  static final class Probes {
    final ApiOperation op;
    final Catalogue.Entry e;
    final List<String> wrong;
    final String auth;
    final String type;
    FingerprintDb.Print baseline;

    Probes(ApiOperation op, Catalogue.Entry e, List<String> wrong) {
      this.op = op;
      this.e = e;
      this.wrong = wrong;
      this.auth = authorization(e.role());
      this.type = op.bodyType();
    }

    void group(String name, Runnable probes) {
      baseline = db.print();
      probes.run();
      Answer ready = wire.send("GET", "/health/ready", null, null, null);
      if (ready.status() != 200) {
        wrong.add(op.key() + " [" + name + "]: /health/ready answered " + ready);
      }
      List<String> diff = db.print().diff(baseline);
      if (!diff.isEmpty()) {
        wrong.add(op.key() + " [" + name + "]: refused input changed rows: " + diff);
      }
    }

    byte[] validBody() {
      return e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8);
    }

    Answer call(String path, String authorization, String contentType, byte[] body, String... headers) {
      return wire.send(op.method(), path, authorization, contentType, body, headers);
    }

    Answer call(byte[] body) {
      return call(e.path(), auth, type, body);
    }

    void expect(String label, Answer a, Set<Integer> allowed) {
      expect(label, a, allowed, null);
    }

    void expect(String label, Answer a, Set<Integer> allowed, String detailNames) {
      String where = op.key() + " " + label + ": ";
      ANSWERS.merge(a.status(), 1, Integer::sum);
      if (!allowed.contains(a.status())) {
        wrong.add(where + "expected " + allowed + ", got " + a);
        return;
      }
      if (a.status() >= 400) {
        if (!a.isProblem()) {
          wrong.add(where + "not problem+json with a detail: " + a);
        } else if (detailNames != null && !a.detail().contains(detailNames)) {
          wrong.add(where + "the detail does not name '" + detailNames + "': " + a.detail());
        }
        if (!op.declared().contains(a.status())) {
          wrong.add(where + a.status() + " is not declared in openapi.yaml");
        }
      }
    }

    void credentials() {
      byte[] body = validBody();
      if (op.security() == Security.BEARER) {
        for (String bad : new String[] {null, "Bearer qf_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4=",
            "Bearer " + "x".repeat(5000), "Bearer " + revokedToken}) {
          expect("credentials " + (bad == null ? "none" : bad.length() > 40 ? bad.substring(0, 40) + "…" : bad),
              call(e.path(), bad, type, body), Set.of(401));
        }
      } else if (op.security() == Security.DEVICE) {
        for (String bad : new String[] {null, "Bearer 999999.bogus", "Bearer " + F.screen + ".wrong-secret",
            "Bearer 9223372036854775808.x", "Bearer '; drop table led_screen;--", revokedScreen}) {
          expect("device credentials " + bad, call(e.path(), bad, type, body), Set.of(401));
        }
      }
      if (e.wrongRole() != null) {
        expect("as " + e.wrongRole(), call(e.path(), authorization(e.wrongRole()), type, body), Set.of(403));
      }
    }

    void headers() {
      expect("20 KiB header", call(e.path(), auth, type, validBody(), "X-Padding", "p".repeat(20 * 1024)), Set.of(431));
    }

    void pathParameters() {
      for (String name : op.pathParams().keySet()) {
        String real = realValue(name);
        for (String bad : BAD_IDS) {
          String path = e.path().replaceFirst("/" + java.util.regex.Pattern.quote(real) + "(?=/|$|\\?)",
              "/" + java.util.regex.Matcher.quoteReplacement(enc(bad)));
          if (path.equals(e.path())) {
            wrong.add(op.key() + ": cannot find {" + name + "} = " + real + " in " + e.path());
            break;
          }
          expect("{" + name + "}=" + bad, call(path, auth, type, validBody()), Set.of(400, 404, 422));
        }
      }
    }

    private String realValue(String param) {
      String template = op.path();
      String[] t = template.split("/");
      String[] p = e.path().split("\\?")[0].split("/");
      for (int i = 0; i < t.length && i < p.length; i++) {
        if (t[i].equals("{" + param + "}")) {
          return p[i];
        }
      }
      return "{" + param + "}";
    }

    void queryParameters() {
      op.queryParams().forEach((name, kind) -> {
        boolean integer = kind.equals("integer") || kind.equals("number");
        List<String> values = new ArrayList<>(HOSTILE);
        if (integer) {
          values.addAll(HUGE);
          values.add("1.5");
        }
        for (String bad : values) {
          String sep = e.path().contains("?") ? "&" : "?";
          String path = e.path().replaceAll("([?&])" + name + "=[^&]*&?", "$1") + sep + name + "=" + enc(bad);
          path = path.replace("?&", "?").replace("&&", "&");
          String credential = name.equals("access_token") ? null : auth;
          Answer a = call(path, credential, type, validBody());
          if (name.equals("access_token")) {
            expect("?" + name + "=" + bad, a, Set.of(401));
          } else if (integer) {
            expect("?" + name + "=" + bad, a, Set.of(400, 422));
          } else if (op.method().equals("GET")) {
            expect("?" + name + "=" + bad, a, Set.of(200, 400, 404, 422));
          } else {
            acceptedOrRefused("?" + name + "=" + bad, a, bad);
          }
        }
      });
    }

    void body() {
      if (!op.sendsBody()) {
        return;
      }
      if (type == null) {
        // No body expected, yet one too large for the server is still refused before anything runs.
        expect("oversize body", call(e.path(), auth, "application/json", oversizeJson()), Set.of(413));
        return;
      }
      if (!op.hasJsonBody()) {
        textBody();
        return;
      }
      JsonObject valid = new JsonObject(e.body());
      expect("malformed JSON", call("{\"a\":".getBytes(StandardCharsets.UTF_8)), Set.of(400));
      expect("JSON array", call("[1,2]".getBytes(StandardCharsets.UTF_8)), Set.of(400));
      expect("JSON string", call("\"x\"".getBytes(StandardCharsets.UTF_8)), Set.of(400));
      if (op.bodyRequired()) {
        expect("empty body", call(new byte[0]), Set.of(400));
      }
      expect("trailing garbage", call((e.body() + "}}").getBytes(StandardCharsets.UTF_8)), Set.of(400));
      expect("deep nesting", call(("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}").getBytes(StandardCharsets.UTF_8)),
          Set.of(400, 422));
      expect("text/plain", call(e.path(), auth, "text/plain", validBody()), Set.of(415));
      expect("no content type", call(e.path(), auth, null, validBody()), Set.of(415));
      expect("unknown field", call(valid.copy().put("no_such_field", 1).encode().getBytes(StandardCharsets.UTF_8)), Set.of(400, 422),
          "no_such_field");
      expect("invalid UTF-8", call(invalidUtf8(valid)), Set.of(400));
      expect("oversize body", call(oversizeJson()), Set.of(413));
      op.bodyProperties().forEach((name, kind) -> {
        Object wrongType = switch (kind) {
          case "string" -> 12345;
          case "integer", "number" -> "abc";
          case "array" -> "abc";
          case "object" -> "abc";
          case "boolean" -> "abc";
          default -> new JsonArray();
        };
        expect("'" + name + "' as " + wrongType.getClass().getSimpleName(), call(valid.copy().put(name, wrongType).encode()
            .getBytes(StandardCharsets.UTF_8)), Set.of(400, 422), name);
        if (!kind.equals("object")) {
          expect("'" + name + "' as an object", call(valid.copy().put(name, new JsonObject().put("x", 1)).encode()
              .getBytes(StandardCharsets.UTF_8)), Set.of(400, 422), name);
        }
        for (String huge : HUGE) {
          String text = valid.copy().put(name, "@@HUGE@@").encode().replace("\"@@HUGE@@\"", huge);
          expect("'" + name + "'=" + huge, call(text.getBytes(StandardCharsets.UTF_8)), Set.of(400, 422));
        }
      });
    }

    private void textBody() {
      String valid = e.body();
      expect("application/json", call(e.path(), auth, "application/json", validBody()), Set.of(415));
      expect("no content type", call(e.path(), auth, null, validBody()), Set.of(415));
      expect("oversize upload", call(oversizeText(valid)), Set.of(413));
      byte[] utf8 = valid.getBytes(StandardCharsets.UTF_8);
      byte[] bad = new byte[utf8.length + 4];
      System.arraycopy(utf8, 0, bad, 0, utf8.length - 1);
      bad[utf8.length - 1] = (byte) 0xC3;
      bad[utf8.length] = (byte) 0x28;
      bad[utf8.length + 1] = (byte) 0xFF;
      bad[utf8.length + 2] = (byte) 0xFE;
      bad[utf8.length + 3] = '\n';
      expect("invalid UTF-8", call(e.path(), auth, type + "; charset=utf-8", bad), Set.of(400, 422));
      expect("empty upload", call(new byte[0]), Set.of(400, 422));
      if (type.equals("text/csv")) {
        expect("unclosed quote", call((valid + "\"李四,13800000078,member\n").getBytes(StandardCharsets.UTF_8)), Set.of(400, 422));
        expect("no phone column", call("name,tags\n张三,member\n".getBytes(StandardCharsets.UTF_8)), Set.of(400, 422));
      }
    }

    void hostileBodyStrings() {
      if (!op.hasJsonBody()) {
        return;
      }
      JsonObject valid = new JsonObject(e.body());
      op.bodyProperties().forEach((name, kind) -> {
        if (!kind.equals("string")) {
          return;
        }
        for (String bad : HOSTILE) {
          Answer a = call(valid.copy().put(name, bad).encode().getBytes(StandardCharsets.UTF_8));
          acceptedOrRefused("'" + name + "'=" + bad, a, bad);
        }
        // An escaped lone surrogate is valid JSON but no text: stored, it would come back as '?'.
        String lone = valid.copy().put(name, "@@LONE@@").encode().replace("@@LONE@@", "x\\ud800y");
        expect("'" + name + "' with a lone surrogate", call(lone.getBytes(StandardCharsets.UTF_8)), Set.of(400, 422), name);
      });
    }

    /** A hostile value may be refused, or accepted and stored as it was sent; never run, never 5xx. */
    private void acceptedOrRefused(String label, Answer a, String value) {
      ANSWERS.merge(a.status(), 1, Integer::sum);
      if (a.status() >= 200 && a.status() < 300) {
        List<String> diff = db.print().diff(baseline);
        if (!diff.isEmpty()) {
          if (db.rowsContaining(value) == 0) {
            wrong.add(op.key() + " " + label + ": accepted (" + a.status() + ") and changed " + diff
                + " but the value is not stored verbatim");
          }
          baseline = db.print();
        }
        if (!op.declared().contains(a.status())) {
          wrong.add(op.key() + " " + label + ": " + a.status() + " is not declared in openapi.yaml");
        }
        return;
      }
      expect(label, a, Set.of(400, 404, 409, 422));
    }

    private byte[] invalidUtf8(JsonObject valid) {
      String first = valid.fieldNames().iterator().next();
      String text = valid.copy().put(first, "@@BAD@@").encode();
      byte[] raw = text.getBytes(StandardCharsets.UTF_8);
      int at = text.indexOf("@@BAD@@");
      byte[] out = new byte[raw.length - 7 + 4];
      System.arraycopy(raw, 0, out, 0, at);
      out[at] = (byte) 0xC3;
      out[at + 1] = (byte) 0x28;
      out[at + 2] = (byte) 0xFF;
      out[at + 3] = (byte) 0xED;
      System.arraycopy(raw, at + 7, out, at + 4, raw.length - at - 7);
      return out;
    }

    private byte[] oversizeJson() {
      return ("{\"padding\":\"" + "x".repeat(BODY_LIMIT + 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] oversizeText(String valid) {
      StringBuilder b = new StringBuilder(valid);
      int n = 0;
      while (b.length() < UPLOAD_LIMIT + 4096) {
        b.append(type.equals("text/csv") ? "某某,1380000" + String.format("%04d", n++ % 10000) + ",member\n" : "第" + n++ + "条 规矩\n");
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Row counts and contents of the tables a request can write, and a search for a stored value. */
  static final class FingerprintDb {
    private final io.vertx.sqlclient.Pool pool;
    private final List<String> tables = new ArrayList<>();

    FingerprintDb(io.vertx.sqlclient.Pool pool) {
      this.pool = pool;
      // Excluded: the audit log (it records refused calls too, by design), receipts (written by the
      // sink from Kafka, never by a request), and per-token / app bookkeeping.
      for (Row r : Http.await(pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
          + "AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'app_state', 'flyway_schema_history') "
          + "AND table_name NOT LIKE 'receipt%' ORDER BY table_name").execute())) {
        tables.add(r.getString(0));
      }
    }

    record Print(Map<String, String> rows) {
      List<String> diff(Print before) {
        List<String> d = new ArrayList<>();
        rows.forEach((t, v) -> {
          if (!v.equals(before.rows.get(t))) {
            d.add(t + " " + before.rows.get(t) + " -> " + v);
          }
        });
        return d;
      }
    }

    Print print() {
      StringBuilder sql = new StringBuilder();
      for (String t : tables) {
        if (sql.length() > 0) {
          sql.append(" UNION ALL ");
        }
        // Columns that move without any request writing: a token's last use, a screen's coalesced last poll.
        sql.append("SELECT '").append(t).append("', count(*) || ':' || md5(coalesce(string_agg(")
            .append("(to_jsonb(x) - 'last_used_at' - 'last_seen_at')::text, '|' ORDER BY x::text), '')) FROM ").append(t).append(" x");
      }
      Map<String, String> rows = new java.util.TreeMap<>();
      for (Row r : Http.await(pool.query(sql.toString()).execute())) {
        rows.put(r.getString(0), r.getString(1));
      }
      return new Print(rows);
    }

    long rowsContaining(String value) {
      StringBuilder sql = new StringBuilder("SELECT 0");
      for (String t : tables) {
        sql.append(" + (SELECT count(*) FROM ").append(t).append(" x WHERE strpos(x::text, $1) > 0)");
      }
      return Http.await(pool.preparedQuery(sql.toString()).execute(Tuple.of(value))).iterator().next().getLong(0);
    }
  }
}
