package org.qingfeng.sim;

/** How the simulator writes the message_id it returns in submit_sm_resp and in receipts. */
public enum MessageIdFormat {
    /** Plain decimal digits, as most Chinese carrier gateways return. */
    DECIMAL,
    /** Upper-case hexadecimal, as some SMSCs do; exercises the client's id normalisation. */
    HEX
}
