package org.qingfeng.led;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.time.Instant;

/** One screen's compiled playlist: its JSON and text/plain forms with their strong ETags. */
public final class Playlist {
  public final long screenId;
  public final long generation;
  public final Instant validUntil;
  public final int nextPollS;
  public final Buffer json;
  public final String etag;
  public final Buffer text;
  /** The ETag and next_poll_s as header values, encoded once (every 304 sends them). */
  final CharSequence etagHeader;
  final CharSequence nextPollHeader;
  /** The bodies' lengths as header values, encoded once (every answer with a body sends one). */
  final CharSequence jsonLengthHeader;
  final CharSequence textLengthHeader;
  /** Hashed on first use: most controllers never ask for text/plain. */
  private volatile String textEtag;
  /** What the next compile for this screen may reuse. */
  final PlaylistCompiler.Rest rest;

  Playlist(long screenId, long generation, Instant validUntil, int nextPollS, Buffer json, String etag, Buffer text,
      PlaylistCompiler.Rest rest) {
    this.screenId = screenId;
    this.generation = generation;
    this.validUntil = validUntil;
    this.nextPollS = nextPollS;
    this.json = json;
    this.etag = etag;
    this.text = text;
    this.rest = rest;
    this.etagHeader = HttpHeaders.createOptimized(etag);
    this.nextPollHeader = HttpHeaders.createOptimized(Integer.toString(nextPollS));
    this.jsonLengthHeader = HttpHeaders.createOptimized(Integer.toString(json.length()));
    this.textLengthHeader = HttpHeaders.createOptimized(Integer.toString(text.length()));
  }

  /** Compiled from this snapshot generation or a later one (generations only grow), and still valid. */
  public boolean freshFor(long gen, Instant now) {
    return generation >= gen && now.isBefore(validUntil);
  }

  CharSequence etagHeader(boolean plainText) {
    return plainText ? etag(true) : etagHeader;
  }

  public String etag(boolean plainText) {
    if (!plainText) {
      return etag;
    }
    String t = textEtag;
    if (t == null) {
      t = PlaylistCompiler.etag("t", text);
      textEtag = t;
    }
    return t;
  }
}
