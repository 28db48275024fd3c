package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock-order graph (lockdep's dependency graph): one node per {@link LockClass}, an edge
 * held → acquired the first time a thread blocks for a lock of the second class while it
 * holds one of the first, and a cache of validated chains so that a nesting seen before costs
 * one hash lookup.
 *
 * <p>Edges are only ever added, so a chain validated once stays valid: a later edge that
 * closes a cycle is found when that edge is new. The graph is guarded by one
 * {@link ReentrantLock}, taken only on a chain not yet in the cache, and never held while
 * the caller parks (the check runs before the acquiring call blocks).
 */
final class LockGraph {
    /** Guards every LockClass.out map and the chain cache's writes. */
    static final ReentrantLock LOCK = new ReentrantLock();

    private static final ConcurrentHashMap<String, LockClass> CLASSES = new ConcurrentHashMap<>();
    private static int nextId = 1;      // guarded by LOCK

    /** An edge from → to, with where and on which thread it was first seen. */
    static final class Edge {
        final LockClass from, to;
        final String fromLock, toLock;  // the two locks' descriptions at that moment
        final String thread;
        final StackTraceElement[] stack;

        Edge(LockClass from, LockClass to, String fromLock, String toLock, String thread,
                StackTraceElement[] stack) {
            this.from = from;
            this.to = to;
            this.fromLock = fromLock;
            this.toLock = toLock;
            this.thread = thread;
            this.stack = stack;
        }
    }

    private LockGraph() {
    }

    /** The class of that key (a name, or a construction site), made on first use. */
    static LockClass classOf(String key, String label) {
        LockClass c = CLASSES.get(key);
        if (c != null) {
            return c;
        }
        LOCK.lock();
        try {
            return CLASSES.computeIfAbsent(key, k -> new LockClass(nextId++, label));
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * A path of edges from → ... → to, or null if there is none. Breadth first, so the cycle
     * reported is a shortest one. Caller holds LOCK.
     */
    static List<Edge> path(LockClass from, LockClass to) {
        HashMap<LockClass, Edge> via = new HashMap<>();
        ArrayDeque<LockClass> todo = new ArrayDeque<>();
        todo.add(from);
        via.put(from, null);
        while (!todo.isEmpty()) {
            LockClass c = todo.poll();
            if (c == to) {
                ArrayList<Edge> p = new ArrayList<>();
                for (Edge e = via.get(c); e != null; e = via.get(e.from)) {
                    p.add(0, e);
                }
                return p;
            }
            for (Edge e : c.out.values()) {
                if (!via.containsKey(e.to)) {
                    via.put(e.to, e);
                    todo.add(e.to);
                }
            }
        }
        return null;
    }

    // The chain cache: an open-addressing set of 64-bit chain keys. Lock-free reads; writes
    // under LOCK (one writer at a time), published with setRelease, so a reader sees a key
    // only after the whole chain it stands for was validated.

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static volatile long[] table = new long[1 << 12];
    private static int count;           // guarded by LOCK

    static boolean validated(long key) {
        long[] t = table;
        int m = t.length - 1;
        for (int i = (int) (key ^ (key >>> 32)) & m;; i = (i + 1) & m) {
            long v = (long) SLOT.getAcquire(t, i);
            if (v == key) {
                return true;
            }
            if (v == 0L) {
                return false;
            }
        }
    }

    /** Caller holds LOCK. */
    static void validate(long key) {
        if (validated(key)) {
            return;
        }
        long[] t = table;
        if (2 * (count + 1) > t.length) {
            long[] n = new long[t.length * 2];
            for (long k : t) {
                if (k != 0L) {
                    insert(n, k);
                }
            }
            table = t = n;      // volatile publication of the filled copy
        }
        insert(t, key);
        count++;
    }

    private static void insert(long[] t, long key) {
        int m = t.length - 1;
        int i = (int) (key ^ (key >>> 32)) & m;
        while ((long) SLOT.getAcquire(t, i) != 0L) {
            i = (i + 1) & m;
        }
        SLOT.setRelease(t, i, key);   // release; pairs with getAcquire in validated()
    }

    /** The key of a chain extended by one entry; never 0 (0 marks a free slot). */
    static long extend(long chain, LockInfo info, byte mode) {
        long h = chain * 0x9E3779B97F4A7C15L
                + (((long) info.cls.id << 32) ^ ((long) info.rank << 3) ^ mode);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h == 0L ? 1L : h;
    }
}
