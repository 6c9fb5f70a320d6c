package org.qingfeng.sms.encoding;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An {@link SmsEncoder} that remembers the texts it encoded last. A campaign sends one text
 * to thousands of numbers, and the channel encodes every message on its caller's event loop:
 * choosing the alphabet, splitting and converting the same text again for each number was
 * the largest single cost of a submit on that loop. Between two messages of the same text
 * only the concatenation reference differs, so a remembered text gets a fresh UDH and shares
 * its slices and payloads (parts are immutable). The result equals {@code encoder.encode}.
 *
 * <p>Direct-mapped by the text's hash, {@value #SLOTS} slots; a slot holds an immutable entry
 * replaced whole, so any thread may call it without a lock. Texts that cannot be encoded are
 * not remembered: they fail the same way each time.
 */
public final class RecentTextsEncoder {
    static final int SLOTS = 64;

    private record Entry(String text, EncodedSms encoded) {
    }

    private final SmsEncoder encoder;
    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    public RecentTextsEncoder(SmsEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    public EncodedSms encode(String text, int referenceNumber) throws SmsTextException {
        if (text == null || text.isEmpty()) {
            return encoder.encode(text, referenceNumber); // refuses it
        }
        int slot = (text.hashCode() & 0x7FFFFFFF) % SLOTS;
        Entry entry = slots.get(slot);
        if (entry != null && entry.text.equals(text)) {
            return encoder.withReference(entry.encoded, referenceNumber);
        }
        EncodedSms encoded = encoder.encode(text, referenceNumber);
        slots.set(slot, new Entry(text, encoded));
        return encoded;
    }
}
