package org.qingfeng.sms.receipt;

/**
 * Fields of an SMPP appendix B delivery receipt text, kept raw so nothing is lost; a field
 * absent from the text is null. Use {@link #state()} for the interpreted stat.
 */
public final class ParsedReceipt {

    public String id;
    public String sub;
    public String dlvrd;
    /** YYMMDDhhmm or YYMMDDhhmmss as sent; see {@link DeliveryReceiptText#parseDate}. */
    public String submitDate;
    public String doneDate;
    public String stat;
    public String err;
    public String text;

    public ReceiptState state() {
        return ReceiptState.fromStat(stat);
    }

    @Override
    public String toString() {
        return "ParsedReceipt[id=" + id + ", sub=" + sub + ", dlvrd=" + dlvrd + ", submitDate=" + submitDate
                + ", doneDate=" + doneDate + ", stat=" + stat + ", err=" + err + ", text=" + text + "]";
    }
}
