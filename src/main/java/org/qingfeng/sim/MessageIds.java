package org.qingfeng.sim;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out unique message ids in the configured format; lock-free for high submit rates. */
final class MessageIds {

    private final AtomicLong next;
    private final MessageIdFormat format;

    MessageIds(MessageIdFormat format, long seed) {
        this.format = format;
        // Start somewhere seed-dependent and large, so ids from two runs rarely collide and the
        // hex form always contains letters (exercising case normalisation on the client).
        this.next = new AtomicLong(0xA0000000L + new SplittableRandom(seed).nextLong(0x0FFFFFFFL));
    }

    String next() {
        long id = next.getAndIncrement();
        return format == MessageIdFormat.HEX ? Long.toHexString(id).toUpperCase(Locale.ROOT) : Long.toString(id);
    }
}
