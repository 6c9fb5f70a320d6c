package org.qingfeng.contacts;

import org.qingfeng.sms.PhoneMask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The incremental CSV reader and charset decoder, fed in pieces split at every possible place. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContactCsvTest {
  static final String CSV = "name,phone,unit\r\n"
      + "\"Li, Wei\",13800000001,\"第一\r\n纪检室\"\r\n"
      + "\n"
      + "\"say \"\"hi\"\"\",+8613800000002,\"\"\r"
      + "张三,13800000003,县纪委😀\n"
      + "last,13800000004,no newline";

  static final List<String> EXPECTED = List.of(
      "1:[name, phone, unit]",
      "2:[Li, Wei, 13800000001, 第一\r\n纪检室]",
      "5:[say \"hi\", +8613800000002, ]",
      "6:[张三, 13800000003, 县纪委😀]",
      "7:[last, 13800000004, no newline]");

  @Test
  void recordsAndLineNumbersDoNotDependOnWhereTheInputIsSplit() {
    for (int cut = 0; cut <= CSV.length(); cut++) {
      assertThat(read(List.of(CSV.substring(0, cut), CSV.substring(cut)))).as("cut at %d", cut).isEqualTo(EXPECTED);
    }
    List<String> singles = new ArrayList<>();
    CSV.chars().forEach(c -> singles.add(String.valueOf((char) c)));
    assertThat(read(singles)).isEqualTo(EXPECTED);
  }

  @Test
  void unclosedQuoteAndOverlongRecordsAreRefusedWithTheirLine() {
    assertThatThrownBy(() -> read(List.of("a,b\n\"open,1\n2\n")))
        .isInstanceOf(CsvReader.CsvException.class)
        .satisfies(e -> assertThat(((CsvReader.CsvException) e).line()).isEqualTo(2));
    CsvReader small = new CsvReader(10);
    assertThatThrownBy(() -> small.feed(CharBuffer.wrap("ok\n\"" + "x".repeat(20)), (f, l) -> { }))
        .isInstanceOf(CsvReader.CsvException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void decoderDetectsUtf8WithBomAndGb18030AcrossEverySplit() {
    String text = "name,phone\n" + "x".repeat(50) + ",1\n张三,13800000001\n李四😀,13800000002\n";
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] utf8 = ContactImportTest.concat(bom, text.getBytes(StandardCharsets.UTF_8));
    byte[] gb = text.getBytes(CsvDecoder.GB18030);
    for (int cut = 0; cut <= utf8.length; cut++) {
      assertThat(decode(null, utf8, cut)).as("utf-8 cut %d", cut).isEqualTo(text);
    }
    for (int cut = 0; cut <= gb.length; cut++) {
      assertThat(decode(null, gb, cut)).as("gb18030 cut %d", cut).isEqualTo(text);
    }
    assertThat(decode(CsvDecoder.GB18030, gb, 7)).isEqualTo(text);
    CsvDecoder d = new CsvDecoder(null);
    d.decode(gb);
    d.finish();
    assertThat(d.charset()).isEqualTo(CsvDecoder.GB18030);
  }

  @Test
  void bytesInAnotherEncodingAfterDetectionAreRefused() {
    byte[] utf8Part = ("name,phone\n" + "张三,1\n".repeat(1000)).getBytes(StandardCharsets.UTF_8);
    byte[] gbkPart = "李四,2\n".getBytes(Charset.forName("GBK"));
    CsvDecoder d = new CsvDecoder(null);
    String good = d.decode(utf8Part).toString();
    assertThatThrownBy(() -> d.decode(gbkPart))
        .isInstanceOf(CsvDecoder.MalformedException.class)
        .satisfies(e -> assertThat(((CsvDecoder.MalformedException) e).charset()).isEqualTo(StandardCharsets.UTF_8));
    assertThat(good).startsWith("name,phone\n张三,1\n");
  }

  @Test
  void phoneNumbersNormaliseToE164AndMask() {
    PhoneNumbers cn = new PhoneNumbers("CN");
    assertThat(cn.toE164OrNull("138 1234 5678")).isEqualTo("+8613812345678");
    assertThat(cn.toE164OrNull("+86-138-1234-5678")).isEqualTo("+8613812345678");
    assertThat(cn.toE164OrNull("8613812345678")).isEqualTo("+8613812345678");
    assertThat(cn.toE164OrNull("+44 7911 123456")).isEqualTo("+447911123456");
    assertThat(cn.normalize("12345").valid()).isFalse();
    assertThat(cn.normalize("abc").reason()).isNotBlank();
    assertThat(cn.normalize("").reason()).contains("missing");
    assertThat(PhoneMask.mask("13812345678")).isEqualTo("138****5678");
    assertThat(PhoneMask.mask("+8613812345678")).isEqualTo("+86138****5678");
    assertThat(PhoneMask.maskNumbersIn("/api/v1/opt-outs/+8613812345678")).isEqualTo("/api/v1/opt-outs/+86138****5678");
    assertThat(PhoneMask.maskNumbersIn("/api/v1/contacts/42")).isEqualTo("/api/v1/contacts/42");
  }

  @Test
  void theFastMobilePathAgreesWithFullLibphonenumber() {
    java.util.Random random = new java.util.Random(42);
    int fast = 0;
    for (String region : List.of("CN", "GB", "US")) {
      PhoneNumbers numbers = new PhoneNumbers(region);
      for (int i = 0; i < 20_000; i++) {
        String digits = (region.equals("CN") ? "1" : Integer.toString(random.nextInt(10)))
            + String.format("%010d", Math.floorMod(random.nextLong(), 10_000_000_000L));
        digits = digits.substring(0, 8 + random.nextInt(4));
        String cc = region.equals("CN") ? "86" : region.equals("GB") ? "44" : "1";
        String[] forms = {digits, "+" + cc + digits, "00" + cc + digits, cc + digits,
            digits.substring(0, 3) + " " + digits.substring(3, 7) + "-" + digits.substring(7)};
        for (String raw : forms) {
          String quick = numbers.fastMobile(raw);
          if (quick != null) {
            fast++;
            assertThat(numbers.full(raw).e164()).as("%s in %s", raw, region).isEqualTo(quick);
          }
        }
      }
    }
    assertThat(fast).isGreaterThan(10_000);
  }

  static List<String> read(List<String> pieces) {
    List<String> out = new ArrayList<>();
    CsvReader r = new CsvReader(1000);
    CsvReader.Sink sink = (fields, line) -> out.add(line + ":" + fields);
    for (String p : pieces) {
      r.feed(CharBuffer.wrap(p), sink);
    }
    r.finish(sink);
    return out;
  }

  static String decode(Charset forced, byte[] bytes, int cut) {
    CsvDecoder d = new CsvDecoder(forced);
    StringBuilder out = new StringBuilder();
    out.append(d.decode(Arrays.copyOfRange(bytes, 0, cut)));
    out.append(d.decode(Arrays.copyOfRange(bytes, cut, bytes.length)));
    out.append(d.finish());
    return out.toString();
  }
}
