package org.qingfeng.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Handling the signals ourselves (instead of a shutdown hook)
 * lets a graceful stop end the process with exit code 0 rather than the JVM's 143.
 */
final class SignalWaiter {
  private final CountDownLatch latch = new CountDownLatch(1);
  private volatile String received;

  SignalWaiter() {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), sig -> {
        received = "SIG" + sig.getName();
        latch.countDown();
      });
    }
  }

  String await() throws InterruptedException {
    latch.await();
    return received;
  }
}
