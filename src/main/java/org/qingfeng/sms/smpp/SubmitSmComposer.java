package org.qingfeng.sms.smpp;

import org.jsmpp.PDUException;
import org.jsmpp.PDUSender;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.qingfeng.sms.encoding.SmsPart;

import java.io.IOException;
import java.io.OutputStream;

/** A channel's submit_sm for one part, composed by jSMPP's PDU sender with the channel's addressing. */
final class SubmitSmComposer {
    private static final byte ESM_CLASS_UDHI = 0x40;
    private static final ESMClass WITH_UDH = new ESMClass(ESM_CLASS_UDHI);
    private static final ESMClass PLAIN = new ESMClass(0);

    private final String sourceAddress;
    private final RegisteredDelivery registeredDelivery;
    private final TypeOfNumber sourceTon;
    private final NumberingPlanIndicator sourceNpi;
    private final TypeOfNumber destTon;
    private final NumberingPlanIndicator destNpi;
    /** jSMPP's data_coding objects (immutable), by data_coding value. */
    private final DataCoding[] dataCodings = new DataCoding[256];

    SubmitSmComposer(ChannelConfig config) {
        this.sourceAddress = config.sourceAddress;
        this.registeredDelivery = new RegisteredDelivery(config.registeredDelivery);
        // Looked up once: jSMPP's valueOf lookups copy the enum's values() on every call.
        this.sourceTon = TypeOfNumber.valueOf((byte) config.sourceTon);
        this.sourceNpi = NumberingPlanIndicator.valueOf((byte) config.sourceNpi);
        this.destTon = TypeOfNumber.valueOf((byte) config.destTon);
        this.destNpi = NumberingPlanIndicator.valueOf((byte) config.destNpi);
        for (int coding = 0; coding < dataCodings.length; coding++) {
            dataCodings[coding] = DataCodings.newInstance((byte) coding);
        }
    }

    void compose(PDUSender pduSender, OutputStream out, int sequenceNumber, OutboundSms sms, SmsPart part,
                 int dataCoding) throws PDUException, IOException {
        String source = sms.sourceOverride() != null ? sms.sourceOverride() : sourceAddress;
        String destination = sms.destination().startsWith("+") ? sms.destination().substring(1) : sms.destination();
        pduSender.sendSubmitSm(out, sequenceNumber, "", sourceTon, sourceNpi, source, destTon, destNpi, destination,
                part.hasUdh() ? WITH_UDH : PLAIN, (byte) 0, (byte) 1, null, null, registeredDelivery, (byte) 0,
                dataCodings[dataCoding & 0xFF], (byte) 0, part.shortMessageView()); // jSMPP only reads the bytes
    }
}
