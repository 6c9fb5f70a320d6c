package org.qingfeng.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses a loopback port for an embedded service and remembers it beside its data, so a
 * restart on the same data directory comes back on the same port when that port is free.
 */
final class PortFile {
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

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
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
