package dev.gosync.diag;

import java.util.List;
import java.util.Objects;

/**
 * Thrown in mode {@code throw} of the lock-order checker by an acquiring call that would
 * complete a lock-order violation (a cycle in the lock-class graph, a recursive lock, two locks
 * of one class nested with no declared order, or declared ranks out of order). It is thrown
 * before the call blocks or changes anything: the lock is not acquired and the thread still
 * holds exactly what it held.
 *
 * <p>The message is the checker's report: the cycle of lock classes and the stack of each
 * edge's first acquisition.
 */
public final class LockOrderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The lock classes of the cycle; not serialised. */
    private final transient List<String> cycle;

    /**
     * Creates the exception; the checker is its only intended maker.
     *
     * @param report the full report
     * @param cycle the lock classes of the cycle, first and last the same
     */
    public LockOrderException(String report, List<String> cycle) {
        super(Objects.requireNonNull(report, "report"), null, false, true);
        this.cycle = List.copyOf(cycle);
    }

    /**
     * The lock classes of the violation in acquisition order, ending where it started: for an
     * inversion {@code [a, b, a]}, for a recursive lock {@code [a, a]}.
     *
     * @return the cycle; empty after deserialisation
     */
    public List<String> cycle() {
        return cycle == null ? List.of() : cycle;
    }
}
