package org.qingfeng.sms.smpp;

/**
 * What to do with a submit_sm whose response was lost with the link: the SMSC may or may
 * not have accepted it. RESUBMIT risks a duplicate SMS; FAIL risks a missing one.
 */
public enum OutcomeUnknownPolicy {
    RESUBMIT,
    FAIL
}
