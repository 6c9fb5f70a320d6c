package org.qingfeng.sms.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.jsoniter.JsonIterator;
import com.jsoniter.output.JsonStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The publisher writes events with {@link SmsEventJson} instead of jsoniter: for any event,
 * any characters in its strings (quotes, control characters, Chinese, lone surrogates), it
 * writes exactly what jsoniter writes, and jsoniter reads it back to the same event.
 */
class SmsEventJsonPropertyTest {

    @Property(tries = 1000)
    void writesExactlyWhatJsoniterWrites(@ForAll("events") SmsEvent event) {
        String json = SmsEventJson.write(event);
        assertThat(json).isEqualTo(JsonStream.serialize(event));
        assertThat(JsonIterator.deserialize(json, SmsEvent.class)).usingRecursiveComparison().isEqualTo(event);
    }

    @Provide
    Arbitrary<SmsEvent> events() {
        Arbitrary<String> strings = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u00A0').ofMaxLength(40),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u2028中【】").withCharRange('a', 'z').ofMaxLength(20),
                Arbitraries.of("submit_result", "receipt", "DELIVERED", "NOROUTE", "cmcc:123:receipt:DELIVERED"))
                .injectNull(0.2);
        Arbitrary<Long> nullableLongs = Arbitraries.longs().injectNull(0.3);
        return net.jqwik.api.Combinators.combine(
                net.jqwik.api.Combinators.combine(strings, strings, strings, strings, strings, strings, strings, strings)
                        .as((type, eventId, channel, messageId, smscId, status, statWord, errorCode) -> {
                            SmsEvent e = new SmsEvent();
                            e.type = type;
                            e.eventId = eventId;
                            e.channel = channel;
                            e.messageId = messageId;
                            e.smscId = smscId;
                            e.status = status;
                            e.statWord = statWord;
                            e.errorCode = errorCode;
                            return e;
                        }),
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(),
                nullableLongs, nullableLongs, Arbitraries.longs(), nullableLongs)
                .as((e, partIndex, partTotal, commandStatus, submittedAt, doneAt, receivedAt, campaignId) -> {
                    e.partIndex = partIndex;
                    e.partTotal = partTotal;
                    e.commandStatus = commandStatus;
                    e.submittedAt = submittedAt;
                    e.doneAt = doneAt;
                    e.receivedAt = receivedAt;
                    e.campaignId = campaignId;
                    return e;
                });
    }
}
