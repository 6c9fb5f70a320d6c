package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.qingfeng.http.Problem;

/**
 * The CSV import's parsing layer (decoder, reader, header, rows) under arbitrary input: it never
 * throws anything but a 413 / 422 {@link Problem}; every data row is either accepted or rejected
 * with its line; quotes, embedded line breaks, BOMs, GB18030 and huge fields change nothing of that.
 */
class ContactCsvPropertyTest {
  static final PhoneNumbers NUMBERS = new PhoneNumbers("CN");
  static final String HEADER = "name,phone,unit,tags";

  /** What a parse gave: rows accepted, the report, or the problem that refused the file. */
  record Outcome(List<ImportBatch.Row> accepted, ImportReport report, Problem refused) {
  }

  static Outcome parse(byte[] bytes, List<Integer> cuts, Charset forced) {
    List<ImportBatch.Row> accepted = new ArrayList<>();
    ImportReport report = new ImportReport();
    ImportParser parser = new ImportParser(forced, NUMBERS, 1_000_000, ContactImport.MAX_RECORD_CHARS, report, accepted::add);
    try {
      int from = 0;
      for (int cut : cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList()) {
        parser.feed(java.util.Arrays.copyOfRange(bytes, from, Math.max(from, cut)));
        from = Math.max(from, cut);
      }
      parser.feed(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
      parser.finish();
      return new Outcome(accepted, report, null);
    } catch (Problem p) {
      return new Outcome(accepted, report, p);
    }
  }

  @Property(tries = 1500)
  void arbitraryBytesAreAcceptedOrRefusedWithAProblemNeverAnythingElse(@ForAll("csvLikeBytes") byte[] bytes,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 3000) Integer> cuts, @ForAll("charsets") String charset) {
    Outcome o = parse(bytes, cuts, charset.isEmpty() ? null : Charset.forName(charset));
    Statistics.collect(o.refused() == null ? "parsed" : "refused");
    // Both outcomes must be common, or the property proves little about one of them.
    Statistics.coverage(c -> {
      c.check("parsed").percentage(p -> p > 5);
      c.check("refused").percentage(p -> p > 5);
    });
    if (o.refused() != null) {
      assertThat(o.refused().status()).isIn(413, 422);
      assertThat(o.refused().detail()).isNotBlank();
      return;
    }
    assertThat(o.report().rows).isPositive();
    assertThat(o.accepted().size() + o.report().rejected).isEqualTo(o.report().rows);
    for (Object r : o.report().toJson().getJsonArray("rejections")) {
      assertThat(((JsonObject) r).getLong("line")).isGreaterThanOrEqualTo(2);
    }
  }

  @Property(tries = 600)
  void everyWellFormedRowIsAcceptedOrRejectedWithItsOwnLine(@ForAll("files") CsvFile file,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 20000) Integer> cuts) {
    Outcome o = parse(file.bytes(), cuts, file.forced());
    assertThat(o.refused()).as("refused: %s", o.refused() == null ? "" : o.refused().detail()).isNull();
    assertThat(o.report().rows).isEqualTo(file.rows().size());
    assertThat(o.accepted().size() + o.report().rejected).isEqualTo(file.rows().size());
    List<Long> expectedLines = new ArrayList<>();
    List<String> expectedPhones = new ArrayList<>();
    for (int i = 0; i < file.rows().size(); i++) {
      Row r = file.rows().get(i);
      if (r.shouldBeRejected()) {
        expectedLines.add(file.lines().get(i));
      } else {
        expectedPhones.add("+86" + r.phone());
      }
    }
    JsonArray rejections = o.report().toJson().getJsonArray("rejections");
    List<Long> lines = new ArrayList<>();
    rejections.forEach(r -> lines.add(((JsonObject) r).getLong("line")));
    assertThat(lines).isEqualTo(expectedLines);
    assertThat(o.accepted().stream().map(a -> a.phone).toList()).isEqualTo(expectedPhones);
    for (int i = 0, a = 0; i < file.rows().size(); i++) {
      Row r = file.rows().get(i);
      if (!r.shouldBeRejected()) {
        ImportBatch.Row got = o.accepted().get(a++);
        assertThat(escaped(got.name)).isEqualTo(escaped(ImportRows.clean(r.name())));
        assertThat(escaped(got.unit)).isEqualTo(escaped(ImportRows.clean(r.unit())));
      }
    }
  }

  @Property(tries = 50)
  void aRecordLongerThanTheLimitIsRefusedNamingItsLine(@ForAll @IntRange(min = 0, max = 20) int before, @ForAll boolean quoted) {
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < before; i++) {
      csv.append("n").append(i).append(",1380000").append(String.format("%04d", i)).append(",u,t\n");
    }
    String huge = "长".repeat(ContactImport.MAX_RECORD_CHARS + 10);
    csv.append(quoted ? "\"" + huge + "\"" : huge).append(",13800001111,u,t\n");
    Outcome o = parse(csv.toString().getBytes(StandardCharsets.UTF_8), List.of(), null);
    assertThat(o.refused()).isNotNull();
    assertThat(o.refused().status()).isEqualTo(422);
    assertThat(o.refused().detail()).contains("line " + (before + 2));
  }

  /** JSON-escaped, so that a failure report shows control characters and surrogates. */
  static String escaped(String s) {
    return new JsonArray().add(s).encode();
  }

  // ---- generators ----

  @Provide
  Arbitrary<String> charsets() {
    return Arbitraries.of("", "", "UTF-8", "GB18030");
  }

  @Provide
  Arbitrary<byte[]> csvLikeBytes() {
    Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    Arbitrary<byte[]> rows = Arbitraries.of("张三,13800000001,县纪委,member\n", "\"李, 四\",+8613800000002,\"a\nb\",\n", "x,12345,,\n",
        "'; drop table contact;--,13800000003,<script>,t\n", "\n", "\r\n").map(r -> r.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> noise = Arbitraries.oneOf(
        Arbitraries.of("\"", "\"\"", ",", "\r", ";", "\uFEFF", "\u0000", "\t", "😀", "13800000004").map(t -> t.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.of("李四,13800000005\n", "乡镇").map(t -> t.getBytes(CsvDecoder.GB18030)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(4));
    Arbitrary<byte[]> body = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(15, rows), net.jqwik.api.Tuple.of(1, noise))
        .list().ofMaxSize(40).map(ContactCsvPropertyTest::concat);
    Arbitrary<byte[]> header = Arbitraries.of("name,phone,unit,tags\n", "\uFEFF手机号,姓名\r\n", "phone\n", "name,unit\n", "")
        .map(t -> t.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> file = Combinators.combine(header, body).as((h, b) -> concat(List.of(h, b)));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, randomBytes), net.jqwik.api.Tuple.of(6, file));
  }

  /** One data row as generated; the phone is either surely valid or surely not. */
  record Row(String name, String phone, boolean validPhone, String unit, String tags) {
    boolean shouldBeRejected() {
      return !validPhone || ImportRows.clean(name).length() > ImportRows.MAX_TEXT || ImportRows.clean(unit).length() > ImportRows.MAX_TEXT;
    }
  }

  /** A generated file: its bytes, the rows in it, the line each row starts on, and the charset to force (or null). */
  record CsvFile(byte[] bytes, List<Row> rows, List<Long> lines, Charset forced) {
    @Override
    public String toString() {
      return "CsvFile[" + rows.size() + " rows, " + bytes.length + " bytes, forced " + forced + ", rows=" + rows + "]";
    }
  }

  @Provide
  Arbitrary<CsvFile> files() {
    Arbitrary<String> text = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.strings().withChars("ab 张三县纪委,\"\n;E'<>").ofMaxLength(30)
            // withChars works on UTF-16 units: an emoji there would come out as lone surrogates.
            .map(t -> t.replace("E", "😀"))),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("长x,\" ").ofMinLength(150).ofMaxLength(260)));
    Arbitrary<String> validPhone = Arbitraries.integers().between(0, 9999).map(i -> String.format("1380000%04d", i));
    Arbitrary<String> invalidPhone = Arbitraries.of("", "12345", "abc", "+999", "'; drop table contact;--", "<script>",
        "1380000000000000", "\"13800\"");
    Arbitrary<Row> row = Combinators.combine(text, Arbitraries.integers().between(0, 4), validPhone, invalidPhone, text,
            Arbitraries.of("", "member", "党员;干部", "a；b"))
        .as((name, kind, good, bad, unit, tags) -> kind == 0 ? new Row(name, bad, false, unit, tags) : new Row(name, good, true, unit, tags));
    return Combinators.combine(row.list().ofMinSize(1).ofMaxSize(40), Arbitraries.of("UTF-8", "UTF-8+BOM", "GB18030", "GB18030-forced"),
            Arbitraries.of("\n", "\r\n"))
        .as(ContactCsvPropertyTest::file);
  }

  static CsvFile file(List<Row> rows, String encoding, String eol) {
    StringBuilder csv = new StringBuilder(HEADER).append(eol);
    List<Long> lines = new ArrayList<>();
    long line = 2;
    for (Row r : rows) {
      lines.add(line);
      String record = field(r.name()) + "," + field(r.phone()) + "," + field(r.unit()) + "," + field(r.tags());
      csv.append(record).append(eol);
      line += 1 + record.chars().filter(c -> c == '\n').count();
    }
    String s = csv.toString();
    return switch (encoding) {
      case "UTF-8" -> new CsvFile(s.getBytes(StandardCharsets.UTF_8), rows, lines, null);
      case "UTF-8+BOM" -> new CsvFile(concat(List.of(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
          s.getBytes(StandardCharsets.UTF_8))), rows, lines, null);
      case "GB18030" -> new CsvFile(s.getBytes(CsvDecoder.GB18030), rows, lines,
          // Detection tries UTF-8 on the first 4 KiB from the first non-ASCII byte: GB18030 can only be told
          // apart when those bytes are not valid UTF-8 as well ("委" alone is), else it must be named.
          detectable(s) ? null : CsvDecoder.GB18030);
      default -> new CsvFile(s.getBytes(CsvDecoder.GB18030), rows, lines, CsvDecoder.GB18030);
    };
  }

  private static boolean detectable(String s) {
    int first = s.chars().filter(c -> c >= 128).findFirst().orElse(-1);
    return first >= 0 && first != '委' && s.indexOf(first) < 1000;
  }

  /** RFC 4180 quoting where needed; a field with surrounding spaces is quoted too, to keep them. */
  static String field(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || !v.equals(v.strip())) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
