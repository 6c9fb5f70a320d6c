package org.qingfeng.sms.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.qingfeng.sms.receipt.ReceiptState;
import org.qingfeng.sms.receipt.SmscIdNormalizer;

/**
 * Whole deliver_sm PDUs, as jSMPP hands them over, with any esm_class, data_coding, body bytes
 * and TLV combination: the classifier never throws (its contract is UNREADABLE with a reason),
 * a receipt always has an id and a state, and a well-formed receipt keeps its stat word.
 */
class DeliverSmClassifierPropertyTest {
  static final List<String> NORMALIZERS = List.of("as-is", "as-is,upper,strip-zeros", "hex-to-decimal", "decimal-to-hex,upper");

  @Property(tries = 4000)
  void anyPduIsClassifiedNeverThrown(@ForAll("esmClasses") byte esmClass, @ForAll byte dataCoding, @ForAll("bodies") byte[] body,
      @ForAll("tlvLists") List<OptionalParameter> tlvs, @ForAll("normalizers") String normalizer) {
    DeliverSm pdu = new DeliverSm();
    pdu.setEsmClass(esmClass);
    pdu.setDataCoding(dataCoding);
    pdu.setShortMessage(body);
    pdu.setSourceAddr("8613812345678");
    pdu.setDestAddress("106900001234");
    if (!tlvs.isEmpty()) {
      pdu.setOptionalParameters(tlvs.toArray(new OptionalParameter[0]));
    }
    ClassifiedDeliverSm c = new DeliverSmClassifier(SmscIdNormalizer.parse(normalizer), ZoneId.of("Asia/Shanghai")).classify(pdu);
    Statistics.collect(c.kind);
    Statistics.coverage(k -> {
      k.check(ClassifiedDeliverSm.Kind.RECEIPT).percentage(p -> p > 10);
      k.check(ClassifiedDeliverSm.Kind.MO).percentage(p -> p > 10);
      k.check(ClassifiedDeliverSm.Kind.UNREADABLE).percentage(p -> p > 1);
    });
    assertThat(c.kind).isNotNull();
    switch (c.kind) {
      case RECEIPT -> {
        assertThat(c.smscId).isNotBlank();
        assertThat(c.state).isNotNull();
        assertThat(c.statWord).isNotBlank();
      }
      case MO -> assertThat(c.text).isNotNull();
      case UNREADABLE -> assertThat(c.reason).isNotBlank();
    }
  }

  /**
   * The classifier remembers the last receipt-date minute: a sequence of dates (mostly the same
   * minute, some malformed, some inside DST gaps and overlaps) read by one classifier gives what
   * a fresh classifier gives for each date alone.
   */
  @Property(tries = 300)
  void rememberedMinutesReadDatesAsAFreshClassifierDoes(@ForAll("zones") String zone,
      @ForAll("dateSequences") List<String> dates) {
    DeliverSmClassifier remembering = new DeliverSmClassifier(SmscIdNormalizer.parse("as-is"), ZoneId.of(zone));
    for (String date : dates) {
      DeliverSmClassifier fresh = new DeliverSmClassifier(SmscIdNormalizer.parse("as-is"), ZoneId.of(zone));
      ClassifiedDeliverSm got = remembering.classify(receiptDated(date));
      ClassifiedDeliverSm want = fresh.classify(receiptDated(date));
      assertThat(got.submittedAt).as(date).isEqualTo(want.submittedAt);
      assertThat(got.doneAt).as(date).isEqualTo(want.doneAt);
    }
  }

  private static DeliverSm receiptDated(String date) {
    DeliverSm pdu = new DeliverSm();
    pdu.setEsmClass((byte) 0x04);
    pdu.setShortMessage(("id:77 sub:001 dlvrd:001 submit date:" + date + " done date:" + date + " stat:DELIVRD err:000 text:x")
        .getBytes(StandardCharsets.ISO_8859_1));
    return pdu;
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC");
  }

  @Provide
  Arbitrary<List<String>> dateSequences() {
    // Minutes around the 2025 and 2031 DST changes of the zones above, and ordinary ones.
    Arbitrary<String> minute = Arbitraries.of("2503300159", "2503300200", "2503300201", "2503300259", "2503300300",
        "2510260159", "2510260200", "2510260259", "2510260300", "2503090159", "2503090200", "2503090230", "2503090300",
        "2511020100", "2511020130", "2511020159", "2504060130", "2504060200", "2510050200", "2510050215",
        "3103300200", "2611281519", "2602291200", "2612312359");
    Arbitrary<String> seconds = Arbitraries.of("", "00", "07", "59", "60", "99", "x1");
    Arbitrary<String> date = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, net.jqwik.api.Combinators.combine(minute, seconds).as(String::concat)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("", "25033002", " 2503300200 ", "250330020a", "2513300200", "2502300200")));
    return date.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 1000)
  void aReceiptKeepsItsOwnStatWordAndItsId(@ForAll("statWords") String stat, @ForAll("ids") String id, @ForAll("receiptTypes") int type,
      @ForAll("tlvLists") List<OptionalParameter> noise) {
    String text = "id:" + id + " sub:001 dlvrd:001 submit date:2502011200 done date:2502011201 stat:" + stat + " err:000 text:x";
    DeliverSm pdu = new DeliverSm();
    pdu.setEsmClass((byte) type);
    pdu.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
    // Unrelated TLVs (anything but the two the receipt is read from) change nothing.
    List<OptionalParameter> others = noise.stream().filter(t -> t.tag != DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID
        && t.tag != DeliverSmClassifier.TAG_MESSAGE_STATE && t.tag != DeliverSmClassifier.TAG_NETWORK_ERROR_CODE).toList();
    if (!others.isEmpty()) {
      pdu.setOptionalParameters(others.toArray(new OptionalParameter[0]));
    }
    SmscIdNormalizer asIs = SmscIdNormalizer.parse("as-is");
    ClassifiedDeliverSm c = new DeliverSmClassifier(asIs, ZoneId.of("Asia/Shanghai")).classify(pdu);
    assertThat(c.kind).isEqualTo(ClassifiedDeliverSm.Kind.RECEIPT);
    assertThat(c.smscId).isEqualTo(asIs.normalize(id));
    assertThat(c.statWord).isEqualTo(stat);
    assertThat(c.state).isEqualTo(ReceiptState.fromStat(stat));
    assertThat(c.errorCode).isEqualTo("000");
    assertThat(c.doneAt).isNotNull();
  }

  @Provide
  Arbitrary<String> normalizers() {
    return Arbitraries.of(NORMALIZERS);
  }

  @Provide
  Arbitrary<Byte> esmClasses() {
    return Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of((byte) 0x04, (byte) 0x20, (byte) 0x44, (byte) 0x40, (byte) 0x00));
  }

  @Provide
  Arbitrary<Integer> receiptTypes() {
    return Arbitraries.of(0x04, 0x20, 0x04 | 0x80, 0x20 | 0x03);
  }

  @Provide
  Arbitrary<String> statWords() {
    return Arbitraries.oneOf(Arbitraries.of("DELIVRD", "UNDELIV", "EXPIRED", "REJECTD", "ACCEPTD", "ENROUTE", "FAILED", "NOROUTE"),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(30);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> receiptText = Arbitraries.of(
            "id:0A1B2C sub:001 dlvrd:001 submit date:2502011200 done date:2502011201 stat:DELIVRD err:000 text:hello",
            "ID:123 STAT:NOROUTE", "id: stat:", "stat:FAILED", "id:000000 stat:delivrd", "id:1 done date:9913320000 stat:x",
            "id:\u00ff\u00fe stat:\u0000")
        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
    return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.bytes().array(byte[].class).ofMaxSize(254), receiptText,
        Arbitraries.strings().ofMaxLength(80).map(s -> s.getBytes(StandardCharsets.UTF_16BE)));
  }

  @Provide
  Arbitrary<List<OptionalParameter>> tlvLists() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
    Arbitrary<OptionalParameter> tlv = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> new OptionalParameter.COctetString(DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID, s)),
        bytes.map(b -> new OptionalParameter.OctetString(DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID, b)),
        Arbitraries.bytes().map(b -> new OptionalParameter.Byte(DeliverSmClassifier.TAG_MESSAGE_STATE, b)),
        bytes.map(b -> new OptionalParameter.OctetString(DeliverSmClassifier.TAG_MESSAGE_STATE, b)),
        bytes.map(b -> new OptionalParameter.OctetString(DeliverSmClassifier.TAG_NETWORK_ERROR_CODE, b)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new OptionalParameter.OctetString(DeliverSmClassifier.TAG_MESSAGE_PAYLOAD, b)),
        Arbitraries.shorts().flatMap(tag -> bytes.map(b -> new OptionalParameter.OctetString(tag, b))),
        Arbitraries.of(new OptionalParameter.Null(DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID),
            new OptionalParameter.Null(DeliverSmClassifier.TAG_MESSAGE_STATE)));
    return tlv.list().ofMaxSize(5);
  }
}
