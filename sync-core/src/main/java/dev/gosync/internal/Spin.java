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
     * budget: see {@link #adapt}.
     */
    public static final int HANDOFF = MULTICORE ? 1024 : 0;
    /** A hand-off spin yields when {@code (i & YIELD_EVERY) == 0}. */
    static final int YIELD_EVERY = 63;
    /** The fewest polls an adaptive hand-off spinner makes, so that it can learn again. */
    public static final int HANDOFF_MIN = MULTICORE ? 8 : 0;

    /**
     * The next budget of an adaptive hand-off spinner: doubled (up to {@link #HANDOFF}) after a
     * wait that polling ended, halved after one that had to park. Under oversubscription (more
     * runnable threads than CPUs, where the partner is often not running) polling rarely
     * succeeds and the budget falls to {@link #HANDOFF_MIN}; a ping-pong keeps it high.
     *
     * @param budget the budget used
     * @param won whether the waiter was granted while polling
     * @return the next budget
     */
    public static int adapt(int budget, boolean won) {
        return won ? Math.min(HANDOFF, (budget << 1) + HANDOFF_MIN) : budget >> 1;
    }

    private Spin() {
    }
}
