package dev.gosync.internal;

/**
 * The one spin-then-park policy: how long a thread that is about to park polls first. Spinning
 * pays only when the thread that will release us can run meanwhile, so on one CPU nobody spins.
 *
 * <p>The numbers are Go's ({@code runtime.sync_runtime_canSpin}): at most {@link #ROUNDS}
 * rounds of {@link #PAUSES} pause instructions. A primitive with its own spin loop (Mutex spins
 * on its state word and claims the wake-up token while it does) uses the rounds; one that
 * polls a single condition pause by pause uses {@link #POLLS}.
 */
public final class Spin {
    /** Whether more than one CPU is available; nobody spins on one. */
    public static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;
    /** Spin rounds before parking (Go's {@code active_spin}); 0 on one CPU. */
    public static final int ROUNDS = MULTICORE ? 4 : 0;
    /** Pauses per round (Go's {@code active_spin_cnt}). */
    public static final int PAUSES = 30;
    /** Polls of one condition, a pause apart, before parking; 0 on one CPU. */
    public static final int POLLS = ROUNDS * PAUSES;
    /**
     * Polls of a hand-off before parking (a channel's sender or receiver waiting for its
     * partner), yielding every {@code YIELD_EVERY + 1}; 0 on one CPU. Go parks at once, as a
     * goroutine park costs little; a JVM thread's park and unpark cost tens of microseconds
     * here, a round trip through a channel well under one, so waiting this long first pays
     * (as in {@code Exchanger} and {@code LinkedTransferQueue}). The ceiling of an adaptive
     * budget: see {@link #adapt} and {@link #polls}.
     */
    public static final int HANDOFF = MULTICORE ? 1024 : 0;
    /** A hand-off spin yields when {@code (i & YIELD_EVERY) == 0}. */
    static final int YIELD_EVERY = 63;
    /** The fewest polls an adaptive hand-off spinner makes. */
    public static final int HANDOFF_MIN = MULTICORE ? 8 : 0;
    /** A spinner whose budget is reduced still polls fully once in PROBE_EVERY + 1 waits. */
    static final int PROBE_EVERY = 15;

    /**
     * The next budget of an adaptive hand-off spinner: the full {@link #HANDOFF} after a wait
     * that polling ended, half the budget after one that had to park. Under oversubscription
     * (more runnable threads than CPUs, where the partner is often not running) polling rarely
     * succeeds and the budget falls; a ping-pong keeps it full.
     *
     * @param budget the budget used
     * @param won whether the waiter was granted while polling
     * @return the next budget
     */
    public static int adapt(int budget, boolean won) {
        return won ? HANDOFF : budget >> 1;
    }

    /**
     * The polls for the next wait of a spinner whose budget is {@code budget}: at least
     * {@link #HANDOFF_MIN}, and the full {@link #HANDOFF} once in 16 waits while the budget is
     * reduced ({@code waits} counts them), so that two partners that both fell back to parking
     * (each one's short poll too short for the other's wake-up) find their way back.
     *
     * @param budget the adapted budget
     * @param waits a running count of waits (racy is fine)
     * @return the polls to make
     */
    public static int polls(int budget, int waits) {
        if (budget >= HANDOFF || (waits & PROBE_EVERY) == 0) {
            return HANDOFF;
        }
        return Math.max(budget, HANDOFF_MIN);
    }

    private Spin() {
    }
}
