package org.qingfeng.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

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

  /** The tokens the connected clients signed in with. */
  synchronized Set<Long> tokenIds() {
    Set<Long> ids = new HashSet<>();
    clients.forEach(c -> ids.add(c.tokenId()));
    return ids;
  }

  /**
   * Ends the streams of clients whose token is not among {@code stillActive}, of those asked
   * about in {@code checked} (a client that connected after the check is left for the next one).
   */
  synchronized int endRevoked(Set<Long> checked, Set<Long> stillActive) {
    int ended = 0;
    for (Iterator<SseClient> it = clients.iterator(); it.hasNext(); ) {
      SseClient c = it.next();
      if (checked.contains(c.tokenId()) && !stillActive.contains(c.tokenId())) {
        it.remove();
        c.revoked();
        ended++;
      }
    }
    return ended;
  }

  public synchronized int size() {
    return clients.size();
  }
}
