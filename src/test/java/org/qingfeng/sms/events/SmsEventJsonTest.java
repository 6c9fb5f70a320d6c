package org.qingfeng.sms.events;

import com.jsoniter.JsonIterator;
import com.jsoniter.output.JsonStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The events travel as jsoniter JSON in reflection mode: plain classes, epoch millis. */
@Timeout(10)
class SmsEventJsonTest {

    @Test
    void aReceiptRoundTrips() {
        SmsEvent e = new SmsEvent();
        e.type = SmsEvent.TYPE_RECEIPT;
        e.eventId = "cmcc:123:receipt:UNDELIVERABLE";
        e.channel = "cmcc";
        e.smscId = "123";
        e.status = "UNDELIVERABLE";
        e.statWord = "NOROUTE";
        e.errorCode = "011";
        e.doneAt = 1_738_382_460_000L;
        e.receivedAt = 1_738_382_461_000L;
        String json = JsonStream.serialize(e);
        SmsEvent back = JsonIterator.deserialize(json, SmsEvent.class);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.partitionKey()).isEqualTo("cmcc:123");
    }

    @Test
    void anInboundMessageRoundTrips() {
        InboundSms m = new InboundSms();
        m.eventId = "cmcc:mo:abc:1";
        m.channel = "cmcc";
        m.source = "8613812345678";
        m.destination = "106900001234";
        m.text = "退订";
        m.dataCoding = 8;
        m.receivedAt = 1L;
        InboundSms back = JsonIterator.deserialize(JsonStream.serialize(m), InboundSms.class);
        assertThat(back).usingRecursiveComparison().isEqualTo(m);
    }
}
