package dev.gosync.internal;

import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deadlock watchdog's detector (public API: {@code dev.gosync.diag.DeadlockWatchdog}): finds
 * the threads, virtual or platform, that are parked on gosync locks and can never be woken
 * because every thread that could release what they wait for is itself in that set, and
 * describes the cycle among them. Built on the lock-order checker's per-thread records
 * (HeldLocks: what each thread holds, what it is acquiring, and, from the wait layer's
 * Waiter.await, whether it is parked and on what), so it exists only while the checker is on.
 *
 * <p><b>Who blocks whom.</b> A thread parked acquiring
 * <ul>
 * <li>a Mutex waits for the thread that holds it;
 * <li>an RWMutex for writing waits, while queued behind another writer (parked on the internal
 *     writer mutex), for the writer that holds the lock or is draining readers, and while
 *     draining readers, for every thread that holds a read lock;
 * <li>an RWMutex for reading waits for the writer that holds it or is draining readers (Go's
 *     rule: a pending writer blocks new readers);
 * <li>Weighted permits waits for the permit holders together: it is stuck only if it is
 *     blocked by holders and every one of them is stuck.
 * </ul>
 * The stuck set is the largest set of parked threads in which each thread is blocked by a
 * member (for Mutex and RWMutex: any one blocker stuck keeps it waiting; for Weighted: all of
 * them). A thread that is running, parked elsewhere, or in a timed wait (which ends by itself)
 * is never stuck, and neither is anything that waits only for it.
 *
 * <p><b>No false reports.</b> The records are read racily, so a deadlock is reported only if
 * the same threads are found stuck, each in the same park (its park count unchanged), in two
 * scans in a row. A hold released by another thread is not counted (an exclusive one is
 * checked against the lock's holder and the releaser's note; shared holds of a lock with such
 * releases pending make that lock's waits count as not stuck), so misreads can only hide a
 * deadlock until a later scan, not invent one. gosync's locks are not owned: a deadlock here
 * means that no thread will release them, as in any program that unlocks what it locked;
 * a program that hands locks to other threads to release may resolve a reported cycle.
 */
public final class Deadlocks {
    /*
     * Implementation notes. Registry: every thread's HeldLocks, weakly (a dead thread's record
     * is collected with it), cleaned through a ReferenceQueue at each registration. A scan
     * reads each record's parkedOn with acquire (HeldLocks.parking wrote it with release after
     * the thread's holds and wait), then its holds and wait, then re-reads parkedOn and the
     * park count behind an acquire fence: a record that changed meanwhile is skipped.
     */

    private static final Set<Ref> RECORDS = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<HeldLocks> CLEARED = new ReferenceQueue<>();

    private Deadlocks() {
    }

    private static final class Ref extends WeakReference<HeldLocks> {
        Ref(HeldLocks h) {
            super(h, CLEARED);
        }
    }

    /** Adds a new thread's record (LockOrder's thread-local initialiser). */
    static void register(HeldLocks h) {
        Reference<? extends HeldLocks> r;
        while ((r = CLEARED.poll()) != null) {
            RECORDS.remove(r);
        }
        RECORDS.add(new Ref(h));
    }

    // One scan

    /** A parked thread's wait, as one scan read it. */
    static final class Wait {
        final HeldLocks h;
        final long seq;
        final LockInfo info;
        final byte kind;
        final boolean queuedWriter;     // an RWMutex writer parked on the internal writer mutex
        final List<Wait> blockers = new ArrayList<>();
        boolean all;                    // stuck only if all blockers are (Weighted)
        boolean free;                   // a blocker is not parked: it can release

        Wait(HeldLocks h, long seq, LockInfo info, byte kind, boolean queuedWriter) {
            this.h = h;
            this.seq = seq;
            this.info = info;
            this.kind = kind;
            this.queuedWriter = queuedWriter;
        }

        boolean draining() {
            return kind == LockInfo.EXCL && info.kind.equals("RWMutex") && !queuedWriter;
        }
    }

    /** One stuck group: its cycle (in wait-for order) and the threads stuck behind it. */
    public static final class Deadlock {
        final List<Wait> cycle;
        final List<Wait> behind;
        final String key;

        Deadlock(List<Wait> cycle, List<Wait> behind) {
            this.cycle = cycle;
            this.behind = behind;
            List<String> ids = new ArrayList<>();
            for (Wait w : cycle) {
                ids.add(System.identityHashCode(w.h) + ":" + w.seq);
            }
            ids.sort(null);
            this.key = String.join(",", ids);
        }

        /** Identifies the deadlock: its threads and their parks. */
        public String key() {
            return key;
        }

        /**
         * The names of the threads in the cycle, in wait-for order (each waits for the next,
         * the last for the first).
         *
         * @return thread names
         */
        public List<String> threads() {
            List<String> names = new ArrayList<>();
            for (Wait w : cycle) {
                names.add(w.h.owner.getName());
            }
            return names;
        }

        /**
         * The report: each thread of the cycle, what it waits for and who holds it, with the
         * thread's stack; then the threads stuck behind the cycle.
         *
         * @return the text
         */
        public String report() {
            StringBuilder b = new StringBuilder("gosync deadlock: ").append(cycle.size())
                    .append(cycle.size() == 1 ? " thread waits for itself" : " threads wait for"
                            + " each other in a cycle").append(", parked for good:");
            for (int i = 0; i < cycle.size(); i++) {
                Wait w = cycle.get(i);
                Wait next = cycle.get((i + 1) % cycle.size());
                b.append("\n  ").append(describe(w)).append(", which ")
                        .append(next == w ? "this thread holds" : "is blocked by "
                                + quote(next.h) + (heldBy(next, w.info) ? ", holding it"
                                : ", queued ahead for it"));
                Thread t = w.h.owner;
                b.append("\n    holding: ").append(holds(w.h));
                boolean top = true;
                for (StackTraceElement e : t.getStackTrace()) {
                    String c = e.getClassName();
                    if (top && (c.startsWith("java.") || c.startsWith("jdk.")
                            || c.startsWith("dev.gosync.internal."))) {
                        continue;           // the park itself: LockSupport, the wait layer
                    }
                    top = false;
                    b.append("\n\tat ").append(c).append('.').append(e.getMethodName())
                            .append('(').append(e.getFileName() == null ? "Unknown Source"
                            : e.getFileName() + ":" + e.getLineNumber()).append(')');
                }
            }
            if (!behind.isEmpty()) {
                b.append("\n  stuck behind the cycle:");
                for (Wait w : behind) {
                    b.append("\n  ").append(describe(w));
                }
            }
            return b.toString();
        }
    }

    /**
     * Reads every record once and returns the stuck groups it shows (not yet confirmed: see
     * {@link #confirmed}).
     *
     * @return the deadlocks of this scan
     */
    public static List<Deadlock> scan() {
        Map<HeldLocks, Wait> waits = new IdentityHashMap<>();
        Map<LockInfo, List<HeldLocks>> excl = new IdentityHashMap<>();
        Map<LockInfo, List<HeldLocks>> shared = new IdentityHashMap<>();
        for (Ref r : RECORDS) {
            HeldLocks h = r.get();
            if (h != null) {
                read(h, waits, excl, shared);
            }
        }
        // Edges.
        Map<LockInfo, List<Wait>> drainers = new IdentityHashMap<>();
        for (Wait w : waits.values()) {
            if (w.draining()) {
                drainers.computeIfAbsent(w.info, k -> new ArrayList<>()).add(w);
            }
        }
        for (Wait w : waits.values()) {
            boolean free = false;
            for (HeldLocks b : excl.getOrDefault(w.info, List.of())) {
                Wait bw = waits.get(b);
                free |= bw == null;         // a holder that is not parked can release it
                w.blockers.add(bw);
            }
            if (w.kind == LockInfo.SEM) {
                w.all = true;               // permits come back from any holder
                free |= w.info.foreign != 0L;   // released for others: holders unknown
                for (HeldLocks b : shared.getOrDefault(w.info, List.of())) {
                    Wait bw = waits.get(b);
                    free |= bw == null;
                    w.blockers.add(bw);
                }
            } else if (w.draining()) {
                for (HeldLocks b : shared.getOrDefault(w.info, List.of())) {
                    Wait bw = waits.get(b);
                    if (bw != null) {       // a running reader leaves; a stuck one never does
                        w.blockers.add(bw);
                    }
                }
            } else if (w.queuedWriter || w.kind == LockInfo.READ) {
                for (Wait d : drainers.getOrDefault(w.info, List.of())) {
                    if (d != w) {
                        w.blockers.add(d);  // the writer ahead: it holds the writer mutex
                    }
                }
            }
            w.free = free;
        }
        // The largest stuck set: drop whoever has a way out until nothing changes.
        Set<Wait> stuck = new LinkedHashSet<>(waits.values());
        for (boolean changed = true; changed;) {
            changed = false;
            for (var it = stuck.iterator(); it.hasNext();) {
                Wait w = it.next();
                if (!isStuck(w, stuck)) {
                    it.remove();
                    changed = true;
                }
            }
        }
        // Cycles: follow a stuck blocker from each stuck thread until one repeats.
        List<Deadlock> found = new ArrayList<>();
        Set<Wait> assigned = new HashSet<>();
        Map<Wait, Deadlock> groupOf = new HashMap<>();
        for (Wait start : stuck) {
            if (assigned.contains(start)) {
                continue;
            }
            List<Wait> path = new ArrayList<>();
            Wait w = start;
            while (!path.contains(w) && !assigned.contains(w)) {
                path.add(w);
                w = firstStuck(w, stuck);
            }
            if (assigned.contains(w)) {
                Deadlock g = groupOf.get(w);     // behind a cycle already found
                g.behind.addAll(path);
                for (Wait p : path) {
                    groupOf.put(p, g);
                }
            } else {
                int at = path.indexOf(w);
                Deadlock g = new Deadlock(List.copyOf(path.subList(at, path.size())),
                        new ArrayList<>(path.subList(0, at)));
                found.add(g);
                for (Wait p : path) {
                    groupOf.put(p, g);
                }
            }
            assigned.addAll(path);
        }
        return found;
    }

    /**
     * The deadlocks of {@code now} that {@code before} (the previous scan) also found, with the
     * same threads in the same parks.
     *
     * @param before the previous scan's result
     * @param now this scan's
     * @return the confirmed ones
     */
    public static List<Deadlock> confirmed(List<Deadlock> before, List<Deadlock> now) {
        Set<String> keys = new HashSet<>();
        for (Deadlock d : before) {
            keys.add(d.key);
        }
        List<Deadlock> out = new ArrayList<>();
        for (Deadlock d : now) {
            if (keys.contains(d.key)) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean isStuck(Wait w, Set<Wait> stuck) {
        if (w.free || w.blockers.isEmpty()) {
            return false;
        }
        for (Wait b : w.blockers) {
            if (stuck.contains(b) != w.all) {
                return !w.all;      // AND wait: one stuck blocker; Weighted: one not stuck
            }
        }
        return w.all;
    }

    private static Wait firstStuck(Wait w, Set<Wait> stuck) {
        for (Wait b : w.blockers) {
            if (stuck.contains(b)) {
                return b;
            }
        }
        throw new AssertionError("a stuck thread with no stuck blocker");
    }

    /** One record into the scan's maps, or nothing if it changed while being read. */
    private static void read(HeldLocks h, Map<HeldLocks, Wait> waits,
            Map<LockInfo, List<HeldLocks>> excl, Map<LockInfo, List<HeldLocks>> shared) {
        Object blocker = h.parkedOn;        // volatile: h's holds and wait as of its park
        long seq = h.parkSeq;
        boolean timed = h.parkTimed;
        Waiter parked = h.parkWaiter;
        LockInfo want = h.waitInfo;
        byte kind = h.waitKind;
        List<LockInfo> infos = new ArrayList<>();
        List<Byte> modes = new ArrayList<>();
        try {
            LockInfo[] is = h.infos;
            byte[] ms = h.modes;
            for (int i = 0, d = h.depth; i < d; i++) {
                LockInfo info = is[i];      // once: its thread may clear the slot meanwhile
                if (info != null) {
                    infos.add(info);
                    modes.add((byte) (ms[i] & ~LockInfo.TRY));
                }
            }
        } catch (RuntimeException racedWithItsThread) {
            return;                         // a running thread resized its stack: skip it
        }
        VarHandle.acquireFence();
        if (h.parkedOn != blocker || h.parkSeq != seq
                || (parked != null && parked.decided())) {
            // It moved, or it was granted and only waits for a CPU to run on (a woken
            // virtual thread on a busy carrier): count its holds, not its wait.
            blocker = null;
        }
        for (int i = 0; i < infos.size(); i++) {
            LockInfo info = infos.get(i);
            if (modes.get(i) == LockInfo.EXCL) {
                if (info.holder == h && !h.releasedElsewhere(info)) {
                    excl.computeIfAbsent(info, k -> new ArrayList<>()).add(h);
                }
            } else if (info.foreign == 0L || modes.get(i) == LockInfo.SEM) {
                shared.computeIfAbsent(info, k -> new ArrayList<>()).add(h);
            }
        }
        if (blocker == null || timed || want == null) {
            return;
        }
        boolean queuedWriter = false;
        if (LockOrder.infoOf(blocker) != want) {
            if (kind != LockInfo.EXCL || LockOrder.writerMutexOf(blocker) != want) {
                return;                     // parked on something else (a stale wait)
            }
            queuedWriter = true;
        }
        waits.put(h, new Wait(h, seq, want, kind, queuedWriter));
    }

    // Report pieces

    private static String quote(HeldLocks h) {
        Thread t = h.owner;
        return "\"" + t.getName() + "\"" + (isVirtual(t) ? " (virtual)" : "");
    }

    private static String describe(Wait w) {
        String verb = w.kind == LockInfo.READ ? "rLock" : w.kind == LockInfo.SEM ? "acquire"
                : "lock";
        return "thread " + quote(w.h) + " waits in " + verb + " of " + w.info.describe();
    }

    private static boolean heldBy(Wait w, LockInfo info) {
        for (int i = 0; i < w.h.depth; i++) {
            if (w.h.infos[i] == info) {
                return true;
            }
        }
        return false;
    }

    private static String holds(HeldLocks h) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < h.depth; i++) {
            b.append(i == 0 ? "" : ", ").append(LockOrderReport.describe(h.infos[i],
                    h.modes[i]));
        }
        return b.length() == 0 ? "nothing" : b.toString();
    }

    private static boolean isVirtual(Thread t) {
        return VIRTUAL != null && VIRTUAL.test(t);
    }

    /** Thread.isVirtual where the JDK has it (21+); null on 17. */
    private static final java.util.function.Predicate<Thread> VIRTUAL = findIsVirtual();

    private static java.util.function.Predicate<Thread> findIsVirtual() {
        try {
            var m = Thread.class.getMethod("isVirtual");
            return t -> {
                try {
                    return (Boolean) m.invoke(t);
                } catch (ReflectiveOperationException e) {
                    return false;
                }
            };
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
