package org.qingfeng.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses a loopback port for an embedded service and remembers it beside its data, so a
 * restart on the same data directory comes back on the same port when that port is free.
 */
final class PortFile {
  /**
   * Ports this JVM chose. A port is free when chosen and bound only later, when its service
   * starts; meanwhile the kernel may offer it again. PostgreSQL's port is chosen first, then
   * Kafka's two, and Kafka starts first: had it been given PostgreSQL's port, PostgreSQL could
   * not bind it.
   */
  private static final Set<Integer> CHOSEN = ConcurrentHashMap.newKeySet();

  private PortFile() {
  }

  static int choose(Path file, int configured) throws IOException {
    if (configured > 0) {
      return configured;
    }
    if (Files.isRegularFile(file)) {
      try {
        int remembered = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
        if (isFree(remembered)) {
          CHOSEN.add(remembered);
          return remembered;
        }
      } catch (NumberFormatException ignored) {
        // A damaged port file only costs us the old port.
      }
    }
    return freePort();
  }

  static void remember(Path file, int port) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, Integer.toString(port), StandardCharsets.UTF_8);
  }

  /** A free loopback port that no earlier call in this JVM returned. */
  static int freePort() throws IOException {
    while (true) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        port = s.getLocalPort();
      }
      if (CHOSEN.add(port)) {
        return port;
      }
    }
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
