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

    private Spin() {
    }
}
