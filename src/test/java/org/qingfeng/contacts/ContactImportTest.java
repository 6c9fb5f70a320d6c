package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContactImportTest {
  static final Charset GB18030 = Charset.forName("GB18030");
  static QingfengServer server;
  static ContactApi api;
  static String operator;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_CONTACTS_IMPORT_BATCH_SIZE", "1000"));
    api = new ContactApi(server.httpPort());
    operator = api.createToken("operator");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  static long contacts() {
    return ContactApi.count(server.pool(), "SELECT count(*) FROM contact");
  }

  static Row contact(String phone) {
    var rows = ContactApi.await(server.pool().preparedQuery("SELECT * FROM contact WHERE phone = $1").execute(Tuple.of(phone)));
    assertThat(rows.size()).as("contact %s", phone).isEqualTo(1);
    return rows.iterator().next();
  }

  static JsonObject ok(HttpResponse<Buffer> res) {
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
    return res.bodyAsJsonObject();
  }

  @Test
  void utf8WithBomAndChineseNames() {
    byte[] csv = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        ("Name,Phone,Unit,Township,Tags\r\n"
            + "张三,13800000001,县纪委,白泥镇,党员;干部\r\n"
            + "李四,+86 138 0000 0002,县委办,龙溪镇,党员\r\n").getBytes(StandardCharsets.UTF_8));
    JsonObject r = ok(api.importCsv(operator, null, csv));
    assertThat(r.getLong("imported")).isEqualTo(2);
    assertThat(r.getLong("rejected")).isZero();
    assertThat(r.getString("charset")).isEqualTo("UTF-8");
    Row zhang = contact("+8613800000001");
    assertThat(zhang.getString("name")).isEqualTo("张三");
    assertThat(zhang.getString("unit")).isEqualTo("县纪委");
    assertThat(zhang.getString("township")).isEqualTo("白泥镇");
    assertThat(zhang.getArrayOfStrings("tags")).containsExactly("党员", "干部");
    assertThat(contact("+8613800000002").getString("name")).isEqualTo("李四");
  }

  @Test
  void gb18030IsDetectedAndCharsetCanBeNamed() {
    // Columns in another order, an extra column ignored, Chinese headings.
    String text = "手机号,姓名,备注,单位\n13800000011,王五,无,余庆县纪委\n13800000012,赵六,无,敖溪镇政府\n";
    JsonObject r = ok(api.importCsv(operator, null, text.getBytes(GB18030)));
    assertThat(r.getLong("imported")).isEqualTo(2);
    assertThat(r.getString("charset")).isEqualTo("GB18030");
    assertThat(contact("+8613800000011").getString("name")).isEqualTo("王五");
    assertThat(contact("+8613800000012").getString("unit")).isEqualTo("敖溪镇政府");

    byte[] gbk = "name,phone\n钱七,13800000013\n".getBytes(Charset.forName("GBK"));
    assertThat(ok(api.importCsv(operator, "charset=gbk", gbk)).getLong("imported")).isEqualTo(1);
    assertThat(contact("+8613800000013").getString("name")).isEqualTo("钱七");
  }

  @Test
  void duplicatesMergeByNumberWithinAFileAndAcrossImports() {
    String text = "name,phone,unit,tags\n"
        + "孙一,13800000021,,党员\n"
        + ",+8613800000021,纪检组,干部\n"
        + "孙一一,8613800000021,,党员;离退休\n";
    JsonObject r = ok(api.importCsv(operator, null, text.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getLong("imported")).isEqualTo(1);
    assertThat(r.getLong("merged")).isEqualTo(2);
    Row c = contact("+8613800000021");
    assertThat(c.getString("name")).isEqualTo("孙一一");
    assertThat(c.getString("unit")).isEqualTo("纪检组");
    assertThat(c.getArrayOfStrings("tags")).containsExactly("党员", "干部", "离退休");

    // A later import updates the stored contact: filled fields and tags replace, empty ones keep.
    JsonObject again = ok(api.importCsv(operator, null, "phone,name,tags\n138 0000 0021,,新标签\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(again.getLong("imported")).isZero();
    assertThat(again.getLong("updated")).isEqualTo(1);
    Row after = contact("+8613800000021");
    assertThat(after.getString("name")).isEqualTo("孙一一");
    assertThat(after.getArrayOfStrings("tags")).containsExactly("新标签");
  }

  @Test
  void invalidNumbersAreRejectedPerRowWithLineNumbers() {
    StringBuilder csv = new StringBuilder("name,phone\n");
    for (int i = 0; i < 100; i++) {
      boolean bad = i % 10 == 3;
      csv.append("n").append(i).append(',').append(bad ? "12345" + i : String.format("1390000%04d", i)).append('\n');
    }
    JsonObject r = ok(api.importCsv(operator, null, csv.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getLong("rows")).isEqualTo(100);
    assertThat(r.getLong("imported")).isEqualTo(90);
    assertThat(r.getLong("rejected")).isEqualTo(10);
    JsonArray rej = r.getJsonArray("rejections");
    assertThat(rej).hasSize(10);
    // Data row i is on line i + 2 (the header is line 1).
    assertThat(rej.stream().map(o -> ((JsonObject) o).getLong("line")).toList())
        .containsExactly(5L, 15L, 25L, 35L, 45L, 55L, 65L, 75L, 85L, 95L);
    JsonObject first = rej.getJsonObject(0);
    assertThat(first.getString("reason")).isNotBlank();
    assertThat(first.getString("value")).contains("*").doesNotContain("123453");
  }

  @Test
  void quotedFieldsKeepCommasAndLineBreaks() {
    String text = "name,phone,unit\n"
        + "\"Li, Wei\",13800000031,\"第一\n纪检监察室\"\n"
        + "\"He said \"\"hi\"\"\",13800000032,x\n"
        + "bad,999,y\n";
    JsonObject r = ok(api.importCsv(operator, null, text.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getLong("imported")).isEqualTo(2);
    assertThat(contact("+8613800000031").getString("name")).isEqualTo("Li, Wei");
    assertThat(contact("+8613800000031").getString("unit")).isEqualTo("第一 纪检监察室");
    assertThat(contact("+8613800000032").getString("name")).isEqualTo("He said \"hi\"");
    // The quoted line break moved the bad row to physical line 5.
    assertThat(r.getJsonArray("rejections").getJsonObject(0).getLong("line")).isEqualTo(5);
  }

  @Test
  void noPhoneColumnOrWrongColumnsRefuseTheWholeFile() {
    long before = contacts();
    for (String text : List.of("name,mobile phone,unit\n周八,13800000041,x\n", "foo,bar\n1,2\n",
        "name,phone,phone\n周八,13800000041,13800000042\n")) {
      HttpResponse<Buffer> res = api.importCsv(operator, null, text.getBytes(StandardCharsets.UTF_8));
      assertThat(res.statusCode()).as(text).isEqualTo(422);
      assertThat(res.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(res.bodyAsJsonObject().getString("detail")).contains("nothing was imported");
    }
    assertThat(contacts()).isEqualTo(before);
  }

  @Test
  void emptyFileAndHeaderOnlyAre422() {
    long before = contacts();
    for (String text : List.of("", "\n\n", "name,phone,unit\n")) {
      HttpResponse<Buffer> res = api.importCsv(operator, null, text.getBytes(StandardCharsets.UTF_8));
      assertThat(res.statusCode()).as("body '%s'", text).isEqualTo(422);
    }
    assertThat(contacts()).isEqualTo(before);
  }

  @Test
  void mixedEncodingsHalfWayRollBackEverything() {
    long before = contacts();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("name,phone,unit\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 5000; i++) { // several batches already upserted before the bad bytes
      body.writeBytes(String.format("党员%d,1370000%04d,县纪委\n", i, i).getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes("冯九,13799999999,县政府\n".getBytes(GB18030));
    HttpResponse<Buffer> res = api.importCsv(operator, null, body.toByteArray());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(422);
    assertThat(res.bodyAsJsonObject().getString("detail")).contains("line 5002").contains("UTF-8");
    assertThat(contacts()).isEqualTo(before);
  }

  @Test
  void unclosedQuoteIs422AndNothingWritten() {
    long before = contacts();
    HttpResponse<Buffer> res = api.importCsv(operator, null,
        "name,phone\nok,13800000051\n\"never closed,13800000052\n".getBytes(StandardCharsets.UTF_8));
    assertThat(res.statusCode()).isEqualTo(422);
    assertThat(res.bodyAsJsonObject().getString("detail")).contains("line 3");
    assertThat(contacts()).isEqualTo(before);
  }

  @Test
  void wrongMediaTypeAndWrongRoleAreRefused() {
    byte[] csv = "name,phone\na,13800000061\n".getBytes(StandardCharsets.UTF_8);
    assertThat(api.importCsv(operator, null, "application/json", csv).statusCode()).isEqualTo(415);
    assertThat(api.importCsv(api.createToken("viewer"), null, csv).statusCode()).isEqualTo(403);
    assertThat(api.importCsv(operator, "charset=latin9", csv).statusCode()).isEqualTo(400);
    assertThat(ContactApi.count(server.pool(), "SELECT count(*) FROM contact WHERE phone = '+8613800000061'")).isZero();
  }

  @Test
  void hundredThousandGeneratedRows() {
    long before = contacts();
    int n = 100_000;
    ByteArrayOutputStream body = new ByteArrayOutputStream(n * 40);
    body.writeBytes("phone,name,unit,township,tags\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < n; i++) {
      body.writeBytes(String.format("1500%07d,干部%d,单位%d,乡镇%d,t%d;all\n", i, i, i % 50, i % 10, i % 7)
          .getBytes(StandardCharsets.UTF_8));
    }
    JsonObject r = ok(api.importCsv(operator, null, body.toByteArray()));
    assertThat(r.getLong("rows")).isEqualTo(n);
    assertThat(r.getLong("imported")).isEqualTo(n);
    assertThat(r.getLong("rejected")).isZero();
    assertThat(contacts()).isEqualTo(before + n);
    assertThat(ContactApi.count(server.pool(), "SELECT count(*) FROM contact WHERE tags @> '{t3}' AND phone LIKE '+861500%'"))
        .isEqualTo(java.util.stream.IntStream.range(0, n).filter(i -> i % 7 == 3).count());
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
