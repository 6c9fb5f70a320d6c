package org.qingfeng.sms.smpp;

import org.qingfeng.sms.receipt.ReceiptState;

/** What a deliver_sm turned out to be: a delivery receipt, a mobile-originated SMS, or unreadable. */
final class ClassifiedDeliverSm {
    enum Kind { RECEIPT, MO, UNREADABLE }

    Kind kind;
    // receipt
    String smscId;
    ReceiptState state;
    String statWord;
    String errorCode;
    Long submittedAt;
    Long doneAt;
    // mobile-originated
    String source;
    String destination;
    String text;
    int dataCoding;
    // unreadable
    String reason;

    static ClassifiedDeliverSm unreadable(String reason) {
        ClassifiedDeliverSm c = new ClassifiedDeliverSm();
        c.kind = Kind.UNREADABLE;
        c.reason = reason;
        return c;
    }
}
