package org.qingfeng.sms.smpp;

import org.jsmpp.InvalidResponseException;

/**
 * Thrown into a submit that was written but whose response can no longer arrive because the
 * session closed. It marks the submit as outcome-unknown (the SMSC may have accepted it).
 */
final class LinkLostException extends InvalidResponseException {
    LinkLostException() {
        super("SMPP link lost before the response arrived");
    }
}
