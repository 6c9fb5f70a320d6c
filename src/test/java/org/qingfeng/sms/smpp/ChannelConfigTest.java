package org.qingfeng.sms.smpp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ChannelConfigTest {
    private final Map<String, String> env = Map.of("QINGFENG_SMPP_CMCC_PASSWORD", "s3cret");

    private Map<String, Object> yaml(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("host", "smsc.example.cn");
        m.put("system_id", "qingfeng");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void appliesDefaultsAndReadsThePasswordFromTheEnvironment() {
        ChannelConfig c = ChannelConfig.fromMap("cmcc", yaml(), env);
        assertThat(c.password).isEqualTo("s3cret");
        assertThat(c.window).isEqualTo(50);
        assertThat(c.enquireLinkSeconds).isEqualTo(30);
        assertThat(c.destTon).isEqualTo(1);
        assertThat(c.destNpi).isEqualTo(1);
        assertThat(c.bindMode).isEqualTo(BindMode.TRANSCEIVER);
        assertThat(c.outcomeUnknownPolicy).isEqualTo(OutcomeUnknownPolicy.RESUBMIT);
        assertThat(c.rebindBackoffMinMs).isEqualTo(500);
        assertThat(c.rebindBackoffMaxMs).isEqualTo(30_000);
        assertThat(c.responseTimeoutMs).isEqualTo(10_000);
        assertThat(c.receiptIdNormalization).isEqualTo("as-is");
    }

    @Test
    void neverShowsThePassword() {
        ChannelConfig c = ChannelConfig.fromMap("cmcc", yaml(), env);
        assertThat(c.toString()).doesNotContain("s3cret").contains("password=****");
    }

    @Test
    void readsEveryKeyInEitherSpelling() {
        ChannelConfig c = ChannelConfig.fromMap("cmcc", yaml("parts-per-second", 200, "window", "20",
                "bind_mode", "transmitter-receiver", "outcome_unknown_policy", "fail",
                "receipt_id_normalization", "hex-to-decimal", "password_env", "MY_PW"), Map.of("MY_PW", "pw"));
        assertThat(c.partsPerSecond).isEqualTo(200);
        assertThat(c.window).isEqualTo(20);
        assertThat(c.bindMode).isEqualTo(BindMode.TRANSMITTER_RECEIVER);
        assertThat(c.outcomeUnknownPolicy).isEqualTo(OutcomeUnknownPolicy.FAIL);
        assertThat(c.password).isEqualTo("pw");
    }

    @Test
    void namesTheFullKeyOfABadValue() {
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("window", 0), env))
                .hasMessage("sms.channels.cmcc.window: 0 is outside 1..1000");
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("port", "abc"), env))
                .hasMessageStartingWith("sms.channels.cmcc.port: 'abc' is not a whole number");
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("bind_mode", "sideways"), env))
                .hasMessageStartingWith("sms.channels.cmcc.bind_mode:");
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("receipt_id_normalization", "rot13"), env))
                .hasMessageStartingWith("sms.channels.cmcc.receipt_id_normalization:");
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("windw", 5), env))
                .hasMessageStartingWith("sms.channels.cmcc.windw: unknown key");
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml("rebind_backoff_min_ms", 5000,
                "rebind_backoff_max_ms", 100), env)).hasMessageStartingWith("sms.channels.cmcc.rebind_backoff_max_ms:");
    }

    @Test
    void aMissingPasswordVariableIsNamed() {
        assertThatThrownBy(() -> ChannelConfig.fromMap("cmcc", yaml(), Map.of()))
                .hasMessage("sms.channels.cmcc.password_env: environment variable QINGFENG_SMPP_CMCC_PASSWORD is not set");
    }
}
