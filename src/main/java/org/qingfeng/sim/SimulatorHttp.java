package org.qingfeng.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The simulator's small HTTP face, on its own Vert.x instance: {@code GET /summary},
 * {@code GET /ledger} (NDJSON, one object per accepted submit), {@code GET /receipts} (NDJSON,
 * one object per acknowledged receipt) and {@code POST /mo}.
 */
final class SimulatorHttp implements AutoCloseable {

    private static final long START_STOP_TIMEOUT_S = 10;
    private static final int LEDGER_LINES_PER_WRITE = 500;
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;

    private SimulatorHttp(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static SimulatorHttp start(String host, int port, SmscSimulator simulator) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            router.get("/summary").handler(ctx -> ctx.json(summaryJson(simulator.summary())));
            router.get("/ledger").handler(ctx -> streamNdjson(ctx, simulator.ledger().entries(), SimulatorHttp::entryJson));
            router.get("/receipts").handler(ctx -> streamNdjson(ctx, simulator.ledger().receipts(), SimulatorHttp::receiptJson));
            router.post("/mo").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
                    .handler(ctx -> postMo(ctx, simulator));
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
            return new SimulatorHttp(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Closing is best effort: the simulator is going away either way.
        }
    }

    static JsonObject summaryJson(SimulatorSummary s) {
        return new JsonObject()
                .put("submits", s.submits)
                .put("distinct_destinations", s.distinctDestinations)
                .put("receipts_sent", s.receiptsSent)
                .put("receipts_failed", s.receiptsFailed)
                .put("throttled", s.throttled)
                .put("rejected", s.rejected)
                .put("dropped_links", s.droppedLinks)
                .put("mo_sent", s.moSent)
                .put("binds", s.binds)
                .put("binds_refused", s.bindsRefused)
                .put("enquire_links", s.enquireLinks);
    }

    static JsonObject entryJson(LedgerEntry e) {
        return new JsonObject()
                .put("message_id", e.messageId)
                .put("system_id", e.systemId)
                .put("source", e.source)
                .put("destination", e.destination)
                .put("data_coding", e.dataCoding)
                .put("esm_class", e.esmClass)
                .put("text", e.text)
                .put("concat_reference", e.concatReference)
                .put("concat_total", e.concatTotal)
                .put("concat_sequence", e.concatSequence)
                .put("registered_delivery", e.registeredDelivery)
                .put("received_at", e.receivedAt);
    }

    static JsonObject receiptJson(Ledger.SentReceipt r) {
        return new JsonObject().put("message_id", r.messageId()).put("destination", r.destination()).put("state", r.state());
    }

    /** Written in chunks so a ledger of many thousand entries never sits in one buffer. */
    private static <T> void streamNdjson(RoutingContext ctx, List<T> entries, Function<T, JsonObject> toJson) {
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("content-type", "application/x-ndjson; charset=utf-8");
        Buffer chunk = Buffer.buffer();
        int lines = 0;
        for (T entry : entries) {
            chunk.appendString(toJson.apply(entry).encode()).appendString("\n");
            if (++lines % LEDGER_LINES_PER_WRITE == 0) {
                response.write(chunk);
                chunk = Buffer.buffer();
            }
        }
        response.end(chunk);
    }

    private static void postMo(RoutingContext ctx, SmscSimulator simulator) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException e) {
            body = null;
        }
        String from = body == null ? null : body.getString("from");
        String to = body == null ? null : body.getString("to");
        String text = body == null ? null : body.getString("text");
        if (isBlank(from) || isBlank(to) || isBlank(text)) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "body must be JSON with non-empty from, to and text").encode());
            return;
        }
        try {
            int sessions = simulator.queueMo(from, to, text);
            ctx.response().setStatusCode(202);
            ctx.json(new JsonObject().put("queued_sessions", sessions));
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(400);
            ctx.json(new JsonObject().put("error", e.getMessage()));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
