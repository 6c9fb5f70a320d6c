package org.qingfeng.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jsmpp.util.DeliveryReceiptState;

/**
 * The receipt text a Chinese SMSC writes ({@code id:… sub:… dlvrd:… submit date:… done date:… stat:… err:…
 * text:…}), with its dates in Beijing time whatever this JVM's zone is. Receipt dates carry no zone, and the
 * connector reads them as Beijing time; jSMPP's {@code DeliveryReceipt} formats them in the JVM's default
 * zone, so on a UTC host every done date the simulator sent was read eight hours early.
 */
final class ReceiptText {

    static final ZoneId SMSC_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(SMSC_ZONE);

    private ReceiptText() {
    }

    static String of(String id, boolean delivered, long submittedAtMillis, long doneAtMillis,
                     DeliveryReceiptState state, String errorCode, String text) {
        return "id:" + id
                + " sub:001 dlvrd:" + (delivered ? "001" : "000")
                + " submit date:" + DATE.format(Instant.ofEpochMilli(submittedAtMillis))
                + " done date:" + DATE.format(Instant.ofEpochMilli(doneAtMillis))
                + " stat:" + state
                + " err:" + errorCode
                + " text:" + text;
    }
}
