package org.qingfeng.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class DeliveryReceiptTextTest {

    @Test
    void parsesStandardReceipt() {
        ParsedReceipt r = DeliveryReceiptText.parse(
                "id:0A1B2C sub:001 dlvrd:001 submit date:2602011200 done date:2602011201 stat:DELIVRD err:000 text:hello")
                .orElseThrow();
        assertThat(r.id).isEqualTo("0A1B2C");
        assertThat(r.sub).isEqualTo("001");
        assertThat(r.dlvrd).isEqualTo("001");
        assertThat(r.submitDate).isEqualTo("2602011200");
        assertThat(r.doneDate).isEqualTo("2602011201");
        assertThat(r.stat).isEqualTo("DELIVRD");
        assertThat(r.err).isEqualTo("000");
        assertThat(r.text).isEqualTo("hello");
        assertThat(r.state()).isEqualTo(ReceiptState.DELIVERED);
        assertThat(DeliveryReceiptText.parseDate(r.doneDate)).contains(LocalDateTime.of(2026, 2, 1, 12, 1));
    }

    @Test
    void toleratesCaseOrderExtraSpacesAndTwelveDigitDates() {
        ParsedReceipt r = DeliveryReceiptText.parse(
                "  STAT:undeliv   ID: 12345  Err:21 Done  Date:260201120159 Submit_Date:260201120000 Text:Hi there ")
                .orElseThrow();
        assertThat(r.id).isEqualTo("12345");
        assertThat(r.stat).isEqualTo("undeliv");
        assertThat(r.state()).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(r.err).isEqualTo("21");
        assertThat(r.doneDate).isEqualTo("260201120159");
        assertThat(r.submitDate).isEqualTo("260201120000");
        assertThat(r.text).isEqualTo("Hi there");
        assertThat(r.sub).isNull();
        assertThat(r.dlvrd).isNull();
        assertThat(DeliveryReceiptText.parseDate(r.doneDate)).contains(LocalDateTime.of(2026, 2, 1, 12, 1, 59));
    }

    @Test
    void keepsNonStandardStatWordAsFailure() {
        ParsedReceipt r = DeliveryReceiptText.parse("id:77 stat:NOROUTE err:012").orElseThrow();
        assertThat(r.stat).isEqualTo("NOROUTE");
        assertThat(r.state()).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(r.state().isFailure()).isTrue();
        assertThat(r.text).isNull();
    }

    @Test
    void freeTextMayContainFieldNamesAlreadySeen() {
        ParsedReceipt r = DeliveryReceiptText.parse("id:9 stat:DELIVRD err:0 text:id:x stat:FAKE 退订").orElseThrow();
        assertThat(r.id).isEqualTo("9");
        assertThat(r.stat).isEqualTo("DELIVRD");
        assertThat(r.text).isEqualTo("id:x stat:FAKE 退订");
    }

    @Test
    void emptyValuesAndGarbage() {
        ParsedReceipt r = DeliveryReceiptText.parse("id:abc err: text:").orElseThrow();
        assertThat(r.err).isEmpty();
        assertThat(r.text).isEmpty();
        assertThat(DeliveryReceiptText.parse("hello world")).isEmpty();
        assertThat(DeliveryReceiptText.parse("")).isEmpty();
        assertThat(DeliveryReceiptText.parse(null)).isEmpty();
        assertThat(DeliveryReceiptText.parseDate("26020112")).isEmpty();
        assertThat(DeliveryReceiptText.parseDate("2613011200")).isEmpty();
    }
}
