package org.qingfeng.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiptStateTest {

    @Test
    void mapsStandardStatWordsCaseInsensitively() {
        assertThat(ReceiptState.fromStat("DELIVRD")).isEqualTo(ReceiptState.DELIVERED);
        assertThat(ReceiptState.fromStat("delivrd")).isEqualTo(ReceiptState.DELIVERED);
        assertThat(ReceiptState.fromStat("EXPIRED")).isEqualTo(ReceiptState.EXPIRED);
        assertThat(ReceiptState.fromStat("DELETED")).isEqualTo(ReceiptState.DELETED);
        assertThat(ReceiptState.fromStat("UNDELIV")).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(ReceiptState.fromStat("ACCEPTD")).isEqualTo(ReceiptState.ACCEPTED);
        assertThat(ReceiptState.fromStat("UNKNOWN")).isEqualTo(ReceiptState.UNKNOWN);
        assertThat(ReceiptState.fromStat("REJECTD")).isEqualTo(ReceiptState.REJECTED);
        assertThat(ReceiptState.fromStat(" enroute ")).isEqualTo(ReceiptState.ENROUTE);
    }

    @Test
    void otherWordsAreUndeliverable() {
        assertThat(ReceiptState.fromStat("FAILED")).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(ReceiptState.fromStat("NOROUTE")).isEqualTo(ReceiptState.UNDELIVERABLE);
        assertThat(ReceiptState.fromStat(null)).isEqualTo(ReceiptState.UNKNOWN);
    }

    @Test
    void mapsMessageStateTlv() {
        ReceiptState[] expected = {
            ReceiptState.ENROUTE, ReceiptState.DELIVERED, ReceiptState.EXPIRED, ReceiptState.DELETED,
            ReceiptState.UNDELIVERABLE, ReceiptState.ACCEPTED, ReceiptState.UNKNOWN, ReceiptState.REJECTED,
        };
        for (int i = 0; i < expected.length; i++) {
            assertThat(ReceiptState.fromMessageState(i + 1)).isEqualTo(expected[i]);
        }
        assertThat(ReceiptState.fromMessageState(0)).isEqualTo(ReceiptState.UNKNOWN);
        assertThat(ReceiptState.fromMessageState(99)).isEqualTo(ReceiptState.UNKNOWN);
    }

    @Test
    void finalityAndFailure() {
        assertThat(ReceiptState.ENROUTE.isFinal()).isFalse();
        assertThat(ReceiptState.ENROUTE.isFailure()).isFalse();
        assertThat(ReceiptState.DELIVERED.isFinal()).isTrue();
        assertThat(ReceiptState.DELIVERED.isFailure()).isFalse();
        assertThat(ReceiptState.ACCEPTED.isFailure()).isFalse();
        for (ReceiptState failed : new ReceiptState[] {ReceiptState.EXPIRED, ReceiptState.DELETED,
                ReceiptState.UNDELIVERABLE, ReceiptState.UNKNOWN, ReceiptState.REJECTED}) {
            assertThat(failed.isFinal()).isTrue();
            assertThat(failed.isFailure()).isTrue();
        }
    }
}
