package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * THE LOCK-ORDER CHECKER'S DEMO: {@link Discovery} with its lock order inverted on one
 * rarely-taken path. An update whose replication lag is above {@link #LAG_ALERT_SECONDS}
 * (rare in a healthy fleet) records the keyspace as lagging in the parent's set while it
 * still holds the child: child, then parent. Nothing deadlocks in a test that never runs that
 * update concurrently with {@link #statusPage()}; in production it deadlocks the day both
 * meet. With {@code -Ddev.gosync.lockorder=warn} the first run in which both orders occur
 * reports it.
 *
 * <p>The original's documentation follows.
 *
 * <p>Service discovery in a proxy: the healthy tablets (database servers) of every keyspace, kept
 * current by health-check streams and read by query routing and the status page.
 *
 * <p><b>Primitives:</b> a parent {@link Mutex} for the map of keyspaces and one child mutex
 * per keyspace for its tablet list. A single lock would serialise every health update of every
 * keyspace; per-keyspace locks let updates to different keyspaces run in parallel, and the
 * parent lock is held only to find or create a child, or to remove an empty one.
 *
 * <p><b>Lock order: {@code Discovery.mu} before any {@code Keyspace.mu}; never the reverse,
 * and never two children at once.</b> Three paths hold both: {@link #updateTablet} when it
 * creates a keyspace with its first tablet (so no one sees an empty keyspace),
 * {@link #statusPage()}, which holds the parent while it visits each child (a consistent set of
 * keyspaces), and {@link #removeTablet}, which holds the parent while it checks whether the
 * child became empty (so no update can add to a keyspace being dropped). The deadlock this
 * order prevents: a remover holding the child and asking for the parent, to drop the empty
 * keyspace, while the status page holds the parent and asks for that child. Code that holds a
 * child and finds it needs the parent must let go of the child and start again from the
 * parent, re-checking what it saw, as {@code updateTablet} does when its keyspace was dropped
 * between its two lock holds.
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class InvertedDiscovery {
    /** One keyspace: its healthy tablets. */
    static final class Keyspace {
        private final Mutex mu = new Mutex();   // child lock: taken after Discovery.mu, if both
        // alias → replication lag in seconds
        private final TreeMap<String, Integer> tablets = new TreeMap<>();   // guarded by mu
        private boolean removed;                // guarded by mu; set once dropped from the parent

        private Keyspace() {
        }
    }

    private final Mutex mu = new Mutex();       // parent lock: always taken before a Keyspace.mu
    private final HashMap<String, Keyspace> keyspaces = new HashMap<>();   // guarded by mu
    private final java.util.TreeSet<String> lagging = new java.util.TreeSet<>();  // guarded by mu
    /** The rare case: a lag above this takes the parent while holding the child (the bug). */
    static final int LAG_ALERT_SECONDS = 300;

    /** Creates an empty discovery. */
    InvertedDiscovery() {
    }

    /**
     * A health-check update: the tablet is healthy with the given replication lag. A new
     * keyspace is created with its first tablet under the parent lock (taking the child's
     * lock inside it, in the lock order), so no one ever sees an empty keyspace; an existing
     * one is updated under its own lock only, with the parent released.
     *
     * @param keyspace the tablet's keyspace
     * @param tablet the tablet's alias
     * @param lagSeconds its replication lag
     */
    void updateTablet(String keyspace, String tablet, int lagSeconds) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(tablet, "tablet");
        while (true) {
            Keyspace ks;
            try (Locker.Held parent = mu.locked()) {
                ks = keyspaces.get(keyspace);
                if (ks == null) {
                    ks = new Keyspace();
                    try (Locker.Held child = ks.mu.locked()) {   // parent, then child
                        ks.tablets.put(tablet, lagSeconds);
                    }
                    keyspaces.put(keyspace, ks);
                    return;
                }
            }
            // The parent is released here: only the child is held below.
            try (Locker.Held child = ks.mu.locked()) {
                if (!ks.removed) {
                    ks.tablets.put(tablet, lagSeconds);
                    if (lagSeconds > LAG_ALERT_SECONDS) {
                        try (Locker.Held parent = mu.locked()) {   // BUG: child, then parent
                            lagging.add(keyspace);
                        }
                    }
                    return;
                }
            }
            // The keyspace was dropped between the two locks: look it up again.
        }
    }

    /**
     * A tablet went unhealthy. Takes the parent, then the child (the lock order), so that it can
     * drop the keyspace in the same critical section if it became empty.
     *
     * @param keyspace the tablet's keyspace
     * @param tablet the tablet's alias
     * @return whether the tablet was known
     */
    boolean removeTablet(String keyspace, String tablet) {
        try (Locker.Held parent = mu.locked()) {
            Keyspace ks = keyspaces.get(keyspace);
            if (ks == null) {
                return false;
            }
            try (Locker.Held child = ks.mu.locked()) {
                boolean known = ks.tablets.remove(tablet) != null;
                if (ks.tablets.isEmpty()) {
                    ks.removed = true;          // late updaters holding ks will retry
                    keyspaces.remove(keyspace);
                }
                return known;
            }
        }
    }

    /**
     * The healthy tablets of one keyspace, for routing. Holds the parent, then the child, one
     * after the other (never both).
     *
     * @param keyspace the keyspace
     * @return its tablets in alias order, empty if unknown
     */
    List<String> tablets(String keyspace) {
        Keyspace ks;
        try (Locker.Held held = mu.locked()) {
            ks = keyspaces.get(keyspace);
        }
        if (ks == null) {
            return List.of();
        }
        try (Locker.Held held = ks.mu.locked()) {
            return new ArrayList<>(ks.tablets.keySet());
        }
    }

    /**
     * Every keyspace with its tablets, for the status page: holds the parent throughout and each
     * child in turn, in the lock order, so the set of keyspaces is that of one moment.
     *
     * @return keyspace → (tablet → lag), a copy
     */
    /** The keyspaces that reported a lag above the alert threshold. */
    List<String> lagging() {
        try (Locker.Held held = mu.locked()) {
            return new ArrayList<>(lagging);
        }
    }

    Map<String, Map<String, Integer>> statusPage() {
        Map<String, Map<String, Integer>> page = new TreeMap<>();
        try (Locker.Held parent = mu.locked()) {
            for (Map.Entry<String, Keyspace> e : keyspaces.entrySet()) {
                Keyspace ks = e.getValue();
                try (Locker.Held child = ks.mu.locked()) {
                    page.put(e.getKey(), new TreeMap<>(ks.tablets));
                }
            }
        }
        return page;
    }
}
