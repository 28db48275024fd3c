package dev.gosync.internal;

import java.util.LinkedHashMap;

/**
 * A lock class, lockdep's unit of ordering: every lock with one name, or every unnamed lock
 * made at one construction site, is one node of the lock-order graph.
 */
final class LockClass {
    final int id;
    final String label;             // the name, or "Kind@Class.method(File.java:line)"
    /** Edges this class → later class, in the order first seen; guarded by LockGraph.LOCK. */
    final LinkedHashMap<LockClass, LockGraph.Edge> out = new LinkedHashMap<>();

    LockClass(int id, String label) {
        this.id = id;
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
