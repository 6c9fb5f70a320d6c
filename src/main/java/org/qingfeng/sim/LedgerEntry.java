package org.qingfeng.sim;

import org.qingfeng.sms.PhoneMask;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;
import org.qingfeng.sms.encoding.SmsDecoder;
import org.qingfeng.sms.encoding.Udh;

/**
 * One accepted submit_sm as the simulator saw it. Plain public fields so it serialises with
 * jsoniter or by hand; concat fields are 0 for a single-part message.
 */
public final class LedgerEntry {

    public final String messageId;
    public final String systemId;
    public final String source;
    public final String destination;
    public final int dataCoding;
    public final int esmClass;
    /** Decoded text of this part, UDH stripped. */
    public final String text;
    public final int concatReference;
    public final int concatTotal;
    public final int concatSequence;
    public final int registeredDelivery;
    public final long receivedAt;

    public LedgerEntry(String messageId, String systemId, String source, String destination,
            int dataCoding, int esmClass, String text, int concatReference, int concatTotal,
            int concatSequence, int registeredDelivery, long receivedAt) {
        this.messageId = messageId;
        this.systemId = systemId;
        this.source = source;
        this.destination = destination;
        this.dataCoding = dataCoding;
        this.esmClass = esmClass;
        this.text = text;
        this.concatReference = concatReference;
        this.concatTotal = concatTotal;
        this.concatSequence = concatSequence;
        this.registeredDelivery = registeredDelivery;
        this.receivedAt = receivedAt;
    }

    /** Decodes a submit_sm: UDH concatenation first, SAR TLVs as the fallback some ESMEs use. */
    static LedgerEntry of(String messageId, String systemId, SubmitSm submit, long receivedAt) {
        byte[] payload = payloadOf(submit);
        int dataCoding = submit.getDataCoding() & 0xFF;
        byte esmClass = submit.getEsmClass();
        int reference = 0;
        int total = 0;
        int sequence = 0;
        Udh udh = (esmClass & SmsDecoder.ESM_CLASS_UDHI) != 0 ? SmsDecoder.parseUdh(payload) : null;
        if (udh != null && udh.concatenated()) {
            reference = udh.reference();
            total = udh.total();
            sequence = udh.sequence();
        } else {
            OptionalParameter.Short sarRef = submit.getOptionalParameter(OptionalParameter.Sar_msg_ref_num.class);
            OptionalParameter.Byte sarTotal = submit.getOptionalParameter(OptionalParameter.Sar_total_segments.class);
            OptionalParameter.Byte sarSeq = submit.getOptionalParameter(OptionalParameter.Sar_segment_seqnum.class);
            if (sarRef != null && sarTotal != null && sarSeq != null) {
                reference = sarRef.getValue() & 0xFFFF;
                total = sarTotal.getValue() & 0xFF;
                sequence = sarSeq.getValue() & 0xFF;
            }
        }
        String text = SmsDecoder.decodeShortMessage(dataCoding, esmClass, payload);
        return new LedgerEntry(messageId, systemId, submit.getSourceAddr(), submit.getDestAddress(),
                dataCoding, esmClass & 0xFF, text, reference, total, sequence,
                submit.getRegisteredDelivery() & 0xFF, receivedAt);
    }

    boolean isPartOf(String destination, int reference) {
        return concatTotal > 0 && concatReference == reference && this.destination.equals(destination);
    }

    /** Text carried in short_message, or in message_payload when short_message is empty. */
    private static byte[] payloadOf(SubmitSm submit) {
        byte[] shortMessage = submit.getShortMessage();
        if (shortMessage != null && shortMessage.length > 0) {
            return shortMessage;
        }
        OptionalParameter.Message_payload payload = submit.getOptionalParameter(OptionalParameter.Message_payload.class);
        return payload != null ? payload.getValue() : new byte[0];
    }

    @Override
    public String toString() {
        return "LedgerEntry[" + messageId + " to " + PhoneMask.mask(destination)
                + (concatTotal > 0 ? " part " + concatSequence + "/" + concatTotal + " ref " + concatReference : "")
                + "]";
    }
}
