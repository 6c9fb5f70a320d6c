package org.qingfeng.sms.smpp;

import java.util.HashMap;

/**
 * A map bounded in size and age that forgets in bulk: entries go into the current generation;
 * when it is full (half the bound) or older than its time span, it becomes the previous one
 * and the old previous one is dropped whole. So it holds at most {@code maxEntries}, at least
 * the latest {@code maxEntries / 2} of the last span, and a put costs one HashMap put.
 *
 * <p>Why not an insertion-ordered LinkedHashMap evicting its eldest on every put: at the bound,
 * every put also unlinked a cold entry and its neighbours (cache misses on old-generation
 * objects), and that eviction was the largest single cost of the receipt correlation (JFR:
 * the correlator was ~13 % of the connector's samples, mostly {@code removeNode} under evict).
 * Callers check an entry's age themselves where it matters. Not thread-safe.
 */
final class GenerationalMap<V> {
    private final int generationSize;
    private final long generationMillis;
    private HashMap<String, V> current;
    private HashMap<String, V> previous = new HashMap<>();
    private long currentStartedAt;

    GenerationalMap(int maxEntries, long spanMillis, long now) {
        this.generationSize = Math.max(1, maxEntries / 2);
        this.generationMillis = Math.max(1, spanMillis / 2);
        this.current = newGeneration();
        this.currentStartedAt = now;
    }

    V get(String key) {
        V value = current.get(key);
        return value != null ? value : previous.get(key);
    }

    /** Adds or replaces; the newest value wins on get. */
    void put(String key, V value, long now) {
        rotateIfDue(now);
        current.put(key, value);
    }

    V remove(String key) {
        V value = current.remove(key);
        V older = previous.remove(key);
        return value != null ? value : older;
    }

    int size() {
        return current.size() + previous.size();
    }

    private void rotateIfDue(long now) {
        long age = now - currentStartedAt;
        if (current.size() < generationSize && age <= generationMillis) {
            return;
        }
        // Both generations past their span: nothing in them is worth keeping.
        previous = age > 2 * generationMillis ? new HashMap<>() : current;
        current = newGeneration();
        currentStartedAt = now;
    }

    private HashMap<String, V> newGeneration() {
        // Sized for a full generation: no rehashing while it fills.
        return new HashMap<>(Math.min(generationSize, 1 << 16) * 4 / 3 + 1);
    }
}
