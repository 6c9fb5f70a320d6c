package org.qingfeng.sms.smpp;

import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.qingfeng.sms.encoding.SmsDecoder;
import org.qingfeng.sms.receipt.DeliveryReceiptText;
import org.qingfeng.sms.receipt.ParsedReceipt;
import org.qingfeng.sms.receipt.ReceiptState;
import org.qingfeng.sms.receipt.SmscIdNormalizer;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Tells receipts from mobile-originated messages and reads them. A receipt is a deliver_sm
 * with the SMSC-delivery-receipt (0x04) or intermediate-notification (0x20) esm_class type,
 * or any deliver_sm carrying receipted_message_id. The TLVs win over the text, because
 * the text format is only a convention (SMPP 3.4 Appendix B) that SMSCs bend.
 */
final class DeliverSmClassifier {
    static final short TAG_RECEIPTED_MESSAGE_ID = 0x001E;
    static final short TAG_MESSAGE_STATE = 0x0427;
    static final short TAG_NETWORK_ERROR_CODE = 0x0423;
    static final short TAG_MESSAGE_PAYLOAD = 0x0424;

    private final SmscIdNormalizer normalizer;
    private final ZoneId smscZone;
    /** The instant of the last receipt-date minute read (YYMMDDhhmm); shared by the receipt threads. */
    private volatile MinuteInstant lastMinute;

    private record MinuteInstant(String minute, long epochMillis) {
    }

    DeliverSmClassifier(SmscIdNormalizer normalizer, ZoneId smscZone) {
        this.normalizer = normalizer;
        this.smscZone = smscZone;
    }

    ClassifiedDeliverSm classify(DeliverSm pdu) {
        byte esmClass = pdu.getEsmClass();
        int messageType = esmClass & 0x3C;
        String tlvId = stringTlv(pdu, TAG_RECEIPTED_MESSAGE_ID);
        if (messageType == 0x04 || messageType == 0x20 || tlvId != null) {
            return receipt(pdu, tlvId);
        }
        return mobileOriginated(pdu);
    }

    private ClassifiedDeliverSm receipt(DeliverSm pdu, String tlvId) {
        String text = pdu.getShortMessage() == null ? "" : new String(pdu.getShortMessage(), StandardCharsets.ISO_8859_1);
        ParsedReceipt parsed = DeliveryReceiptText.parse(text).orElse(null);
        Integer tlvState = byteTlv(pdu, TAG_MESSAGE_STATE);

        // trim() as normalize() does: an id of control bytes only is no id. An empty TLV falls back to the text.
        String rawId = tlvId != null && !tlvId.trim().isEmpty() ? tlvId : parsed != null ? parsed.id : null;
        if (rawId == null || rawId.trim().isEmpty()) {
            return ClassifiedDeliverSm.unreadable("receipt without receipted_message_id or readable text");
        }
        ClassifiedDeliverSm c = new ClassifiedDeliverSm();
        c.kind = ClassifiedDeliverSm.Kind.RECEIPT;
        c.smscId = normalizer.normalize(rawId.trim());
        // An empty "stat:" says nothing: it must not become a receipt with a blank word (read as UNKNOWN, a failure).
        String statWord = parsed != null && parsed.stat != null && !parsed.stat.isBlank() ? parsed.stat : null;
        if (tlvState != null) {
            c.state = ReceiptState.fromMessageState(tlvState);
        } else if (statWord != null) {
            c.state = ReceiptState.fromStat(statWord);
        } else {
            return ClassifiedDeliverSm.unreadable("receipt " + rawId + " without message_state or stat");
        }
        c.statWord = statWord != null ? statWord : c.state.name();
        // Plain null checks, not Optional.map chains: four capturing lambdas per receipt on the PDU threads.
        c.errorCode = parsed != null && parsed.err != null ? parsed.err : networkErrorCode(pdu);
        c.submittedAt = parsed != null ? smscTime(parsed.submitDate) : null;
        c.doneAt = parsed != null ? smscTime(parsed.doneDate) : null;
        c.source = pdu.getSourceAddr();
        c.destination = pdu.getDestAddress();
        return c;
    }

    private ClassifiedDeliverSm mobileOriginated(DeliverSm pdu) {
        byte[] body = pdu.getShortMessage();
        if ((body == null || body.length == 0) && pdu.getOptionalParameter(TAG_MESSAGE_PAYLOAD) != null) {
            body = tlvValue(pdu.getOptionalParameter(TAG_MESSAGE_PAYLOAD));
        }
        ClassifiedDeliverSm c = new ClassifiedDeliverSm();
        c.kind = ClassifiedDeliverSm.Kind.MO;
        c.source = pdu.getSourceAddr();
        c.destination = pdu.getDestAddress();
        c.dataCoding = pdu.getDataCoding() & 0xFF;
        try {
            c.text = SmsDecoder.decodeShortMessage(c.dataCoding, pdu.getEsmClass(), body == null ? new byte[0] : body);
        } catch (RuntimeException e) {
            return ClassifiedDeliverSm.unreadable("MO with data_coding " + c.dataCoding + " not decodable: " + e.getMessage());
        }
        return c;
    }

    /**
     * Receipt dates are SMSC local time, YYMMDDhhmm (some SMSCs add seconds). The receipts of
     * a blast arrive by the thousand within the same minute, and resolving the zone's offset
     * for each date was a tenth of a receipt's cost: the last minute seen is kept with its
     * instant, and its seconds are added (zone transitions fall on whole minutes).
     */
    private Long smscTime(String raw) {
        if (raw == null) {
            return null;
        }
        String digits = raw.trim();
        MinuteInstant last = lastMinute;
        if (last != null && DeliveryReceiptText.isPlainDigits(digits) && digits.startsWith(last.minute)) {
            int seconds = digits.length() == 12 ? (digits.charAt(10) - '0') * 10 + (digits.charAt(11) - '0') : 0;
            if (seconds <= 59) {
                return last.epochMillis + seconds * 1000L;
            }
        }
        Long millis = DeliveryReceiptText.parseDate(digits)
                .map(t -> t.atZone(smscZone).toInstant().toEpochMilli())
                .orElse(null);
        if (millis != null && DeliveryReceiptText.isPlainDigits(digits)) {
            int seconds = digits.length() == 12 ? (digits.charAt(10) - '0') * 10 + (digits.charAt(11) - '0') : 0;
            lastMinute = new MinuteInstant(digits.substring(0, 10), millis - seconds * 1000L);
        }
        return millis;
    }


    private static String networkErrorCode(DeliverSm pdu) {
        OptionalParameter tlv = pdu.getOptionalParameter(TAG_NETWORK_ERROR_CODE);
        if (tlv == null) {
            return null;
        }
        byte[] value = tlvValue(tlv);
        // network_type (1 octet) + error code (2 octets)
        return value.length == 3 ? (value[0] & 0xFF) + ":" + (((value[1] & 0xFF) << 8) | (value[2] & 0xFF)) : null;
    }

    static String stringTlv(DeliverSm pdu, short tag) {
        OptionalParameter tlv = pdu.getOptionalParameter(tag);
        if (tlv == null) {
            return null;
        }
        String s = new String(tlvValue(tlv), StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0'); // C-octet strings carry their terminator
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private static Integer byteTlv(DeliverSm pdu, short tag) {
        OptionalParameter tlv = pdu.getOptionalParameter(tag);
        if (tlv == null) {
            return null;
        }
        byte[] value = tlvValue(tlv);
        return value.length == 0 ? null : value[0] & 0xFF;
    }

    /** The value octets of any TLV type: serialize() is tag(2) + length(2) + value. */
    private static byte[] tlvValue(OptionalParameter tlv) {
        byte[] wire = tlv.serialize();
        return Arrays.copyOfRange(wire, 4, wire.length);
    }
}
