package org.qingfeng.sim;

import java.util.function.BooleanSupplier;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/** Test helpers: keep jSMPP's per-PDU debug logging out of the way, and poll for a condition. */
final class TestLogs {

    private TestLogs() {
    }

    static void quiet() {
        for (String name : new String[] {"org.jsmpp", "io.netty", "io.vertx"}) {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logger.setLevel(Level.INFO);
            }
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000; // generous: CI machines are busy
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }
}
