package org.qingfeng.contacts;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.charset.Charset;
import org.qingfeng.http.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed CSV import (one request). The body is read as a stream: bytes are decoded
 * incrementally, parsed into records, numbers normalised, and rows collected into batches that
 * are upserted while reading goes on. At most one batch is in flight; when the next one is full
 * before that finishes, the request is paused (TCP back-pressure) and resumed afterwards, so
 * memory stays bounded whatever the file size.
 *
 * <p>All-or-nothing: every batch goes into one transaction, committed only after the last
 * byte was read and accepted. Any failure (a body over the limit, too many rows, bytes in
 * another encoding half-way, an unclosed quote, a database error, the client going away) rolls
 * back everything this import wrote. Per-row problems (a bad number) are not failures: the
 * row is rejected and reported, the rest imported.
 */
final class ContactImport {
  private static final Logger LOG = LoggerFactory.getLogger(ContactImport.class);
  static final int MAX_RECORD_CHARS = 16 * 1024;

  /** Limits and helpers an import needs. */
  static final class Settings {
    final long uploadLimit;
    final int maxRows;
    final int batchSize;
    final PhoneNumbers numbers;

    Settings(long uploadLimit, int maxRows, int batchSize, PhoneNumbers numbers) {
      this.uploadLimit = uploadLimit;
      this.maxRows = maxRows;
      this.batchSize = batchSize;
      this.numbers = numbers;
    }
  }

  private final RoutingContext ctx;
  private final HttpServerRequest req;
  private final Pool pool;
  private final ContactStore store;
  private final Settings settings;
  private final ImportReport report = new ImportReport();
  private final ImportParser parser;
  private final long started = System.nanoTime();
  private ImportBatch pending = new ImportBatch();
  private SqlConnection conn;
  private Transaction tx;
  private boolean flushing;
  private boolean paused;
  private boolean ended;
  private boolean done;
  private long bytes;

  ContactImport(RoutingContext ctx, Pool pool, ContactStore store, Settings settings, Charset forced) {
    this.ctx = ctx;
    this.req = ctx.request();
    this.pool = pool;
    this.store = store;
    this.settings = settings;
    this.parser = new ImportParser(forced, settings.numbers, settings.maxRows, MAX_RECORD_CHARS, report, row -> pending.add(row));
  }

  /** Starts reading; the request arrives paused (RouterAssembly pauses streamed bodies). */
  void start() {
    req.handler(this::onData);
    req.endHandler(v -> onEnd());
    req.exceptionHandler(this::fail);
    ctx.response().closeHandler(v -> fail(new IllegalStateException("the client closed the connection")));
    // Answered by someone else (408 for a stalled upload): roll back and give the connection back.
    ctx.addEndHandler(ar -> fail(new IllegalStateException("the request was answered before the import finished")));
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      ctx.response().writeContinue();
    }
    req.resume();
  }

  private void onData(Buffer buffer) {
    if (done) {
      return;
    }
    bytes += buffer.length();
    try {
      if (bytes > settings.uploadLimit) {
        throw new Problem(413, "Content too large", "the file is larger than http.upload-limit ("
            + settings.uploadLimit + " bytes); nothing was imported");
      }
      parser.feed(buffer.getBytes());
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    if (pending.size() >= settings.batchSize) {
      if (flushing) {
        pause();
      } else {
        flush();
      }
    }
  }

  private void onEnd() {
    ended = true;
    if (done) {
      return;
    }
    try {
      parser.finish();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    if (!flushing) {
      finish();
    }
  }

  private void flush() {
    ImportBatch batch = pending;
    pending = new ImportBatch();
    flushing = true;
    transaction()
        .compose(v -> store.upsert(conn, batch))
        .onComplete(ar -> {
          flushing = false;
          if (done) {
            return;
          }
          if (ar.failed()) {
            fail(ar.cause());
            return;
          }
          report.add(ar.result(), batch.merged());
          if (pending.size() >= settings.batchSize) {
            flush();
          } else if (ended) {
            finish();
          } else {
            resume();
          }
        });
  }

  /** After the last byte: upserts what is left, commits, answers. */
  private void finish() {
    if (!pending.isEmpty()) {
      flush();
      return;
    }
    done = true;
    Future<Void> commit = tx == null ? Future.succeededFuture() : tx.commit();
    commit.onComplete(ar -> {
      release();
      if (ar.failed()) {
        respondFailure(ar.cause());
        return;
      }
      report.charset = parser.charsetName();
      long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
      LOG.info("contacts import: {} rows ({} imported, {} updated, {} merged, {} rejected), {} bytes {} in {} ms ({} rows/s)",
          report.rows, report.imported, report.updated, report.merged, report.rejected, bytes, report.charset,
          ms, report.rows * 1000 / ms);
      ctx.json(report.toJson());
    });
  }

  private Future<Void> transaction() {
    if (conn != null) {
      return Future.succeededFuture();
    }
    return pool.getConnection().compose(c -> {
      if (done) {
        c.close();
        return Future.failedFuture("the import already failed");
      }
      conn = c;
      return c.begin().map(t -> {
        tx = t;
        return null;
      });
    });
  }

  /** Ends the import with an error: rolls back whatever was written and answers the problem. */
  private void fail(Throwable err) {
    if (done) {
      return;
    }
    done = true;
    Future<Void> undo = tx == null ? Future.succeededFuture() : tx.rollback().otherwiseEmpty();
    undo.onComplete(ar -> release());
    respondFailure(err);
  }

  private void respondFailure(Throwable err) {
    if (err instanceof Problem) {
      Problem p = (Problem) err;
      LOG.info("contacts import refused ({}): {}", p.status(), p.detail());
    } else {
      LOG.warn("contacts import failed after {} rows, rolled back: {}", report.rows, err.toString());
    }
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.fail(err);
    }
  }

  private void release() {
    if (conn != null) {
      conn.close();
      conn = null;
    }
  }

  private void pause() {
    if (!paused && !ended) {
      paused = true;
      req.pause();
    }
  }

  private void resume() {
    if (paused && !ended) {
      paused = false;
      req.resume();
    }
  }
}
