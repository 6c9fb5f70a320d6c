package org.qingfeng.led.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The plays the server accepted (202), one {@code screen_id<TAB>client_play_id} line each, so a
 * fault run can check that every one of them reached PostgreSQL. Event loops only enqueue; a
 * daemon thread writes and flushes every 200 ms, so a killed simulator loses at most that much
 * of its own record (never the server's).
 */
public final class PlayLog implements AutoCloseable {
  private static final long FLUSH_MS = 200;
  private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
  private final BufferedWriter out;
  private final Thread writer;
  private volatile boolean closed;

  public PlayLog(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    writer = new Thread(this::drainLoop, "led-sim-play-log");
    writer.setDaemon(true);
    writer.start();
  }

  void accepted(String screenId, String clientPlayId) {
    pending.add(screenId + "\t" + clientPlayId);
  }

  private void drainLoop() {
    while (!closed) {
      try {
        Thread.sleep(FLUSH_MS);
        drain();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void drain() {
    try {
      for (String line; (line = pending.poll()) != null; ) {
        out.write(line);
        out.newLine();
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    writer.interrupt();
    drain();
    out.close();
  }
}
