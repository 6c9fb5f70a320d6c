package org.qingfeng.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.qingfeng.sms.receipt.DeliveryReceiptText;
import org.qingfeng.sms.receipt.ParsedReceipt;

class ReceiptTextTest {

    @Test
    void datesAreBeijingTimeWhateverTheJvmZoneAndTheConnectorReadsThemBack() {
        long submitted = Instant.parse("2026-12-06T16:40:59Z").toEpochMilli();
        long done = Instant.parse("2026-12-06T16:41:30Z").toEpochMilli();

        String text = ReceiptText.of("2860341174", true, submitted, done, DeliveryReceiptState.DELIVRD, "000", "余庆县纪委提醒");

        assertThat(text).isEqualTo("id:2860341174 sub:001 dlvrd:001 submit date:2612070040 done date:2612070041"
                + " stat:DELIVRD err:000 text:余庆县纪委提醒");
        ParsedReceipt parsed = DeliveryReceiptText.parse(text).orElseThrow();
        assertThat(parsed.id).isEqualTo("2860341174");
        assertThat(DeliveryReceiptText.parseDate(parsed.doneDate).orElseThrow()
                .atZone(ReceiptText.SMSC_ZONE).toInstant()).isEqualTo(Instant.parse("2026-12-06T16:41:00Z"));
    }

    @Test
    void anUndeliveredReceiptSaysNoneDelivered() {
        String text = ReceiptText.of("7", false, 0, 0, DeliveryReceiptState.UNDELIV, "001", "");

        assertThat(text).contains(" dlvrd:000 ").contains(" stat:UNDELIV err:001 ");
    }
}
