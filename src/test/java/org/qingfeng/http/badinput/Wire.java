package org.qingfeng.http.badinput;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The test's two ways to talk to the server: an ordinary client, and a raw socket that sends a body slowly. */
final class Wire {
  /** What came back: status, content type and the problem's detail (null when the body is not problem+json). */
  record Answer(int status, String contentType, String detail, String body) {
    boolean isProblem() {
      return contentType != null && contentType.startsWith("application/problem+json") && detail != null && !detail.isBlank();
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
  }

  private final int port;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  Wire(int port) {
    this.port = port;
  }

  Answer send(String method, String path, String authorization, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (IOException e) {
      return new Answer(-1, null, null, "I/O error: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Sends the request line, headers and the first {@code sent} bytes of a body declared as
   * {@code declared} bytes long; then, if {@code dribbleMs} > 0, one more byte every dribbleMs,
   * else nothing. Returns the answer, or status -1 if none came within {@code waitMs}.
   */
  Answer slowBody(String method, String path, String authorization, String contentType, int declared, int sent,
      long dribbleMs, long waitMs) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(dribbleMs > 0 ? (int) dribbleMs : (int) waitMs);
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      if (authorization != null) {
        head.append("Authorization: ").append(authorization).append("\r\n");
      }
      head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(declared).append("\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write("x".repeat(sent).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      long deadline = System.currentTimeMillis() + waitMs;
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int written = sent;
      while (System.currentTimeMillis() < deadline) {
        try {
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          got.write(buf, 0, n);
          if (complete(got.toString(StandardCharsets.UTF_8))) {
            break;
          }
        } catch (java.net.SocketTimeoutException timeout) {
          if (dribbleMs > 0 && written < declared - 1) {
            try {
              out.write('x');
              out.flush();
              written++;
            } catch (IOException closed) {
              // The server closed its side; read what it answered.
            }
          }
        }
      }
      return parseRaw(got.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Answer(-1, null, null, "I/O error: " + e);
    }
  }

  private static boolean complete(String raw) {
    int headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(raw.substring(0, headEnd));
    return m.find() && raw.getBytes(StandardCharsets.UTF_8).length - headEnd - 4 >= Integer.parseInt(m.group(1));
  }

  private static Answer parseRaw(String raw) {
    int headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.1 ") || headEnd < 0) {
      return new Answer(-1, null, null, raw.isEmpty() ? "no answer" : raw);
    }
    int status = Integer.parseInt(raw.substring(9, 12));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-type:\\s*([^\\r\\n]+)").matcher(raw.substring(0, headEnd));
    return answer(status, m.find() ? m.group(1).trim() : null, raw.substring(headEnd + 4).getBytes(StandardCharsets.UTF_8));
  }

  private static Answer answer(int status, String contentType, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String detail = null;
    if (contentType != null && contentType.startsWith("application/problem+json")) {
      try {
        JsonObject p = new JsonObject(text);
        detail = p.getString("detail");
        if (p.getInteger("status", -1) != status) {
          detail = null;
        }
      } catch (RuntimeException e) {
        detail = null;
      }
    }
    return new Answer(status, contentType, detail, text);
  }
}
