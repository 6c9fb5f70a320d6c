package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record the sink cannot apply comes back as a reason (for the dead-letter topic), never as an
 * exception: one escaping decode would stop the sink's poll loop, and the record would stop it
 * again after every restart.
 */
class EventDecoderTest {
  static final String SUBMIT = "{\"type\":\"submit_result\",\"eventId\":\"e1\",\"channel\":\"c\",\"messageId\":\"m\","
      + "\"partIndex\":1,\"partTotal\":1,\"smscId\":\"s1\",\"receivedAt\":5%s}";

  @Test
  void aWellFormedSubmitResultDecodes() {
    EventDecoder.Decoded d = EventDecoder.decode(String.format(SUBMIT, ",\"status\":\"submitted\""));
    assertThat(d.ok()).isTrue();
    assertThat(d.event().status).isEqualTo("submitted");
  }

  @Test
  void aSubmitResultWithoutStatusIsRefusedWithAReason() {
    EventDecoder.Decoded missing = EventDecoder.decode(String.format(SUBMIT, ""));
    assertThat(missing.ok()).isFalse();
    assertThat(missing.reason()).isEqualTo("unknown submit status 'null'");
    EventDecoder.Decoded explicitNull = EventDecoder.decode(String.format(SUBMIT, ",\"status\":null"));
    assertThat(explicitNull.reason()).isEqualTo("unknown submit status 'null'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "null", "[]", "42", "\"x\"", "{", "{\"type\":", "{\"type\":\"receipt\"}",
      "{\"type\":\"receipt\",\"eventId\":\"e\",\"channel\":\"c\",\"smscId\":\"s\",\"receivedAt\":1}",
      "{\"type\":\"submit_result\",\"eventId\":\"e\",\"channel\":\"c\",\"receivedAt\":1}",
      "{\"type\":\"mo\",\"eventId\":\"e\",\"channel\":\"c\",\"receivedAt\":1}",
      "{\"type\":\"submit_result\",\"eventId\":\"e\",\"channel\":\"c\",\"messageId\":\"m\",\"partIndex\":1,"
          + "\"partTotal\":1,\"status\":\"submitted\",\"receivedAt\":1}"})
  void recordsThatCannotBeAppliedGiveAReason(String json) {
    EventDecoder.Decoded d = EventDecoder.decode(json);
    assertThat(d.ok()).isFalse();
    assertThat(d.reason()).isNotBlank();
  }
}
