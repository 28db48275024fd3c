package dev.gosync.internal;

import dev.gosync.diag.LockOrderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The lock-order checker's reports: their text, where they go (mode warn: a sink, System.err
 * unless replaced, once per new violating edge; mode throw: a LockOrderException from the
 * acquiring call), and the stacks they quote.
 */
final class LockOrderReport {
    /** One violation: the key that makes mode warn print it once, and its text. */
    record Violation(String key, String text, List<String> cycle) {
    }

    private static final Consumer<String> STDERR = System.err::println;
    private static volatile Consumer<String> sink = STDERR;
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
    private static final int MAX_FRAMES = 24;

    private LockOrderReport() {
    }

    /** Replaces the sink of mode warn; null restores System.err. */
    static void sink(Consumer<String> s) {
        sink = s == null ? STDERR : s;
    }

    static void violation(Violation v) {
        if (LockOrder.THROW) {
            record(v, "throw");
            throw new LockOrderException(v.text, v.cycle);
        }
        if (REPORTED.add(v.key)) {
            record(v, "warn");
            sink.accept(v.text);
        }
    }

    /** The JFR event (off unless a recording enables dev.gosync.LockOrderViolation). */
    private static void record(Violation v, String action) {
        LockOrderViolationEvent e = new LockOrderViolationEvent();
        if (e.shouldCommit()) {
            e.cycle = String.join(" -> ", v.cycle);
            e.action = action;
            e.report = v.text;
            e.commit();
        }
    }

    // The kinds of violation

    static Violation self(HeldLocks h, int i, LockInfo n, byte kind, boolean timed) {
        byte held = (byte) (h.modes[i] & ~LockInfo.TRY);
        String forever = timed ? "until its time-out, and then fail" : "forever";
        String what;
        if (held == LockInfo.READ && kind == LockInfo.READ) {
            what = "recursive read lock of " + n.describe() + ": if a writer calls lock() in"
                    + " between, the writer waits for this thread's first read lock and this"
                    + " rLock() waits for the writer (Go forbids recursive read locking)";
        } else if (n.kind.equals("Mutex")) {
            what = "recursive lock of " + n.describe() + ": a Mutex is not reentrant, so this"
                    + " thread would wait for itself " + forever;
        } else {
            what = modeWord(kind) + " of " + n.describe() + " while this thread holds it "
                    + (held == LockInfo.READ ? "for reading" : "for writing")
                    + ": it would wait for itself " + forever;
        }
        return new Violation("self " + n.cls.label + " " + held + " " + kind,
                header(what) + held(h) + here(h), List.of(n.cls.label, n.cls.label));
    }

    static Violation sameClass(HeldLocks h, int i, LockInfo n, byte kind) {
        LockInfo held = h.infos[i];
        String what = "nested locking of two locks of one class \"" + n.cls.label + "\": "
                + modeWord(kind) + " of " + n.describe() + " while holding another, "
                + held.describe() + ". A thread nesting them the other way round deadlocks"
                + " with this one. If the nesting is intended, declare its order with"
                + " LockOrderChecker.rank(lock, rank): lower ranks first.";
        return new Violation("class " + n.cls.label + " " + held.rank + " " + n.rank,
                header(what) + held(h) + here(h), List.of(n.cls.label, n.cls.label));
    }

    static Violation rankOrder(HeldLocks h, int i, LockInfo n, byte kind) {
        LockInfo held = h.infos[i];
        String what = "declared lock order violated: " + modeWord(kind) + " of " + n.describe()
                + " while holding " + held.describe() + " (lower ranks first)";
        return new Violation("rank " + held.cls.label + " -> " + n.cls.label,
                header(what) + held(h) + here(h), List.of(held.cls.label, n.cls.label));
    }

    static Violation cycle(HeldLocks h, int i, LockInfo n, byte kind, List<LockGraph.Edge> back) {
        LockInfo held = h.infos[i];
        List<String> cycle = new ArrayList<>();
        cycle.add(held.cls.label);
        cycle.add(n.cls.label);
        for (LockGraph.Edge e : back) {
            cycle.add(e.to.label);
        }
        StringBuilder b = new StringBuilder(header("possible deadlock (lock order inversion): "
                + modeWord(kind) + " of " + n.describe() + " while holding " + held.describe()
                + ", but the reverse order was seen before, so two threads can each hold one"
                + " and wait for the other"));
        b.append("\n  cycle: ").append(String.join(" -> ", cycle));
        for (LockGraph.Edge e : back) {
            b.append("\n  edge ").append(e.from.label).append(" -> ").append(e.to.label)
                    .append(": first seen on thread \"").append(e.thread).append("\", ")
                    .append(e.toLock).append(" acquired while holding ").append(e.fromLock);
            frames(b, e.stack);
        }
        b.append("\n  edge ").append(held.cls.label).append(" -> ").append(n.cls.label)
                .append(": this acquisition");
        b.append(held(h)).append(here(h));
        return new Violation("edge " + held.cls.label + " -> " + n.cls.label, b.toString(),
                List.copyOf(cycle));
    }

    /** A wait on a Cond or WaitGroup while locks are held: always a warning, never thrown. */
    static void heldWhileWaiting(HeldLocks h, Object waitable) {
        String kind = waitable.getClass().getSimpleName();
        StackTraceElement site = callerOutsideGosync();
        StringBuilder classes = new StringBuilder();
        for (int i = 0; i < h.depth; i++) {
            classes.append(i == 0 ? "" : ", ").append(h.infos[i].cls.label);
        }
        String key = "wait " + kind + " " + site + " " + classes;
        if (REPORTED.add(key)) {
            sink.accept(header(kind + ".await() while holding " + classes + ": the thread that"
                    + " would " + (kind.equals("Cond") ? "signal" : "count down") + " may need"
                    + " one of those locks first") + held(h) + here(h));
        }
    }

    // Pieces

    static String describe(LockInfo info, byte mode) {
        byte kind = (byte) (mode & ~LockInfo.TRY);
        return info.describe() + (kind == LockInfo.READ ? " (read)" : "")
                + ((mode & LockInfo.TRY) != 0 ? " (tryLock)" : "");
    }

    private static String modeWord(byte kind) {
        return kind == LockInfo.READ ? "rLock" : kind == LockInfo.SEM ? "acquire" : "lock";
    }

    private static String header(String what) {
        return "gosync lock order: " + what;
    }

    private static String held(HeldLocks h) {
        StringBuilder b = new StringBuilder("\n  held by thread \"").append(h.thread)
                .append("\", oldest first:");
        for (int i = 0; i < h.depth; i++) {
            b.append("\n    ").append(describe(h.infos[i], h.modes[i]));
        }
        return b.toString();
    }

    private static String here(HeldLocks h) {
        StringBuilder b = new StringBuilder("\n  at this call:");
        frames(b, stackHere());
        return b.toString();
    }

    private static void frames(StringBuilder b, StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            b.append("\n\tat ").append(e);
        }
    }

    /** The current stack from the first frame outside gosync's locks and this checker. */
    static StackTraceElement[] stackHere() {
        return StackWalker.getInstance().walk(s -> s
                .dropWhile(f -> isGosync(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
    }

    /** The first caller outside gosync's locks and this checker (a construction site). */
    static StackTraceElement callerOutsideGosync() {
        return StackWalker.getInstance().walk(s -> s
                .dropWhile(f -> isGosync(f.getClassName()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    private static boolean isGosync(String c) {
        return c.startsWith("dev.gosync.internal.") || c.equals("dev.gosync.Mutex")
                || c.startsWith("dev.gosync.RWMutex") || c.equals("dev.gosync.Cond")
                || c.equals("dev.gosync.WaitGroup") || c.equals("dev.gosync.Locker")
                || c.equals("dev.gosync.semaphore.Weighted")
                || c.equals("dev.gosync.diag.LockOrderChecker");
    }
}
