package org.qingfeng.sms.smpp;

import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sms.receipt.ReceiptState;
import org.qingfeng.sms.receipt.SmscIdNormalizer;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DeliverSmClassifierTest {
    private final DeliverSmClassifier asIs =
            new DeliverSmClassifier(SmscIdNormalizer.parse("as-is"), ZoneId.of("Asia/Shanghai"));

    private static DeliverSm pdu(int esmClass, int dataCoding, byte[] body, OptionalParameter... tlvs) {
        DeliverSm pdu = new DeliverSm();
        pdu.setEsmClass((byte) esmClass);
        pdu.setDataCoding((byte) dataCoding);
        pdu.setShortMessage(body);
        pdu.setSourceAddr("8613812345678");
        pdu.setDestAddress("106900001234");
        if (tlvs.length > 0) {
            pdu.setOptionalParameters(tlvs);
        }
        return pdu;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsAReceiptFromItsText() {
        ClassifiedDeliverSm c = asIs.classify(pdu(0x04, 0, ascii(
                "id:0A1B2C sub:001 dlvrd:001 submit date:2502011200 done date:2502011201 stat:DELIVRD err:000 text:hello")));
        assertThat(c.kind).isEqualTo(ClassifiedDeliverSm.Kind.RECEIPT);
        assertThat(c.smscId).isEqualTo(SmscIdNormalizer.parse("as-is").normalize("0A1B2C"));
        assertThat(c.state).isEqualTo(ReceiptState.DELIVERED);
        assertThat(c.statWord).isEqualTo("DELIVRD");
        assertThat(c.errorCode).isEqualTo("000");
        assertThat(c.doneAt).isEqualTo(ZonedDateTime.of(2025, 2, 1, 12, 1, 0, 0, ZoneId.of("Asia/Shanghai"))
                .toInstant().toEpochMilli());
    }

    @Test
    void prefersTheTlvsOverTheText() {
        ClassifiedDeliverSm c = asIs.classify(pdu(0x04, 0,
                ascii("id:999 sub:001 dlvrd:000 submit date:2502011200 done date:2502011201 stat:ENROUTE err:000"),
                new OptionalParameter.COctetString(DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID, "ABC123"),
                new OptionalParameter.Byte(DeliverSmClassifier.TAG_MESSAGE_STATE, (byte) 5)));
        assertThat(c.smscId).isEqualTo(SmscIdNormalizer.parse("as-is").normalize("ABC123"));
        assertThat(c.state).isEqualTo(ReceiptState.UNDELIVERABLE);
    }

    @Test
    void aReceiptedMessageIdMakesAReceiptEvenWithoutTheEsmClassBit() {
        ClassifiedDeliverSm c = asIs.classify(pdu(0x00, 0, new byte[0],
                new OptionalParameter.COctetString(DeliverSmClassifier.TAG_RECEIPTED_MESSAGE_ID, "77"),
                new OptionalParameter.Byte(DeliverSmClassifier.TAG_MESSAGE_STATE, (byte) 2)));
        assertThat(c.kind).isEqualTo(ClassifiedDeliverSm.Kind.RECEIPT);
        assertThat(c.state).isEqualTo(ReceiptState.DELIVERED);
    }

    @Test
    void keepsANonStandardStatWordAsAFailure() {
        ClassifiedDeliverSm c = asIs.classify(pdu(0x04, 0, ascii(
                "id:42 sub:001 dlvrd:000 submit date:2502011200 done date:2502011201 stat:NOROUTE err:011")));
        assertThat(c.state).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(c.state.isFailure()).isTrue();
        assertThat(c.statWord).isEqualTo("NOROUTE");
        assertThat(c.errorCode).isEqualTo("011");
    }

    @Test
    void normalisesTheSmscIdWithTheChannelSetting() {
        DeliverSmClassifier hexToDecimal =
                new DeliverSmClassifier(SmscIdNormalizer.parse("hex-to-decimal"), ZoneId.of("Asia/Shanghai"));
        ClassifiedDeliverSm c = hexToDecimal.classify(pdu(0x04, 0, ascii(
                "id:FF sub:001 dlvrd:001 submit date:2502011200 done date:2502011201 stat:DELIVRD err:000")));
        assertThat(c.smscId).isEqualTo("255");
    }

    @Test
    void anythingElseIsMobileOriginatedAndDecoded() {
        ClassifiedDeliverSm chinese = asIs.classify(pdu(0x00, 8, "退订".getBytes(StandardCharsets.UTF_16BE)));
        assertThat(chinese.kind).isEqualTo(ClassifiedDeliverSm.Kind.MO);
        assertThat(chinese.text).isEqualTo("退订");
        assertThat(chinese.source).isEqualTo("8613812345678");
        assertThat(chinese.dataCoding).isEqualTo(8);

        ClassifiedDeliverSm gsm = asIs.classify(pdu(0x00, 0, ascii("STOP")));
        assertThat(gsm.text).isEqualTo("STOP");
        ClassifiedDeliverSm latin1 = asIs.classify(pdu(0x00, 3, ascii("TD")));
        assertThat(latin1.text).isEqualTo("TD");
    }

    @Test
    void aReceiptWithNothingToMatchOnIsUnreadable() {
        ClassifiedDeliverSm c = asIs.classify(pdu(0x04, 0, ascii("garbage")));
        assertThat(c.kind).isEqualTo(ClassifiedDeliverSm.Kind.UNREADABLE);
    }
}
