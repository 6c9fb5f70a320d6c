package org.qingfeng.ops;

/**
 * One tick of the ops picture, encoded once for every client: the full snapshot and the delta
 * from the previous tick ({@code base}). A client that holds {@code base} gets the delta; any
 * other client (new, or one that skipped ticks while its queue was full) gets the snapshot.
 */
record OpsEvent(long seq, long base, byte[] snapshot, byte[] delta) {
}
