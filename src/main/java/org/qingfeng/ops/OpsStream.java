package org.qingfeng.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The clients of the ops stream on this instance and the latest tick. Registration and
 * publishing are serialised on this object, so a new client gets the latest snapshot and then
 * exactly the deltas after it, in order.
 */
public final class OpsStream {
  private final List<SseClient> clients = new ArrayList<>();
  private final int maxClients;
  private OpsEvent latest;

  public OpsStream(int maxClients) {
    this.maxClients = maxClients;
  }

  /** False when the instance already serves its maximum of clients. */
  synchronized boolean register(SseClient client) {
    if (clients.size() >= maxClients) {
      return false;
    }
    clients.add(client);
    if (latest != null) {
      client.offer(new OpsEvent(latest.seq(), -2, latest.snapshot(), null));
    }
    return true;
  }

  synchronized void unregister(SseClient client) {
    clients.remove(client);
    client.markClosed();
  }

  synchronized void publish(OpsEvent event) {
    latest = event;
    for (SseClient c : clients) {
      c.offer(event);
    }
  }

  public synchronized int size() {
    return clients.size();
  }
}
