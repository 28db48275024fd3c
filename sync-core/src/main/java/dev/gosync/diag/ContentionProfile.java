package dev.gosync.diag;

import dev.gosync.internal.Contention;
import dev.gosync.internal.HoldTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Go's mutex profile for gosync's {@code Mutex} (and the writers of an {@code RWMutex}, which
 * queue on one): where contention comes from, sampled, and written in pprof's format.
 *
 * <p><b>Go equivalent:</b> {@code runtime.SetMutexProfileFraction} is {@link #setFraction};
 * {@code pprof.Lookup("mutex").WriteTo(w, 0)} is {@link #writePprof}. As in Go, the profile's
 * stacks are the <em>unlockers'</em>: a contended {@code unlock()} is blamed for the time the
 * threads queued behind it spent waiting while it held the lock (each waiter's wait counted
 * from the later of its own start and the previous contended unlock, so every interval of
 * waiting is blamed once, on the holder that ended it, and an unlock that delayed five
 * waiters is blamed five times their wait). {@link #writeWaitersPprof} writes the other view,
 * the waiters' own stacks and waits, {@link #waitTimes()} keeps a wait-time histogram per
 * named lock, and {@link #holdTimes()} a hold-time histogram per named lock (opt-in at
 * startup: {@code -Ddev.gosync.holdtimes=on}).
 *
 * <p><b>Producing a profile:</b>
 * <pre>{@code
 * ContentionProfile.setFraction(10);                 // keep one contention event in 10
 * ... run the workload ...
 * try (OutputStream out = Files.newOutputStream(Path.of("mutex.pb.gz"))) {
 *     ContentionProfile.writePprof(out);
 * }
 * // then: go tool pprof -top mutex.pb.gz   (or -http=:8080 for the flame graph)
 * }</pre>
 *
 * <p><b>Sampling and scale:</b> with fraction N each event is kept with probability 1/N;
 * {@link #delays()} and {@link #waiters()} return what was kept, and the pprof output
 * multiplies counts and times by N (its {@code period}), as Go's does, to estimate the totals.
 *
 * <p><b>Cost:</b> nothing on any fast path or spin: events are taken only where a lock call
 * parks or an unlock wakes or hands off to a parked waiter. With the fraction at 0 (the
 * default) that costs one volatile read per such event; a kept event walks the stack.
 *
 * <p><b>Memory consistency effects:</b> none; snapshots are racy views for monitoring.
 */
public final class ContentionProfile {
    private ContentionProfile() {
    }

    /**
     * Sets the fraction of contention events that are recorded (Go's
     * {@code SetMutexProfileFraction}): 0 turns profiling off, 1 records every event, N about
     * one in N.
     *
     * @param rate the new fraction; a negative value only reads the current one
     * @return the previous fraction
     */
    public static int setFraction(int rate) {
        return Contention.setRate(rate);
    }

    /**
     * One aggregated sample: every kept event with this lock and this stack.
     *
     * @param lock the lock's name, or its class and identity hash ({@code Mutex@1b6d3586})
     * @param stack the stack, innermost frame first, starting at the gosync call
     *     ({@code Mutex.unlock} in {@link #delays()}, {@code Mutex.lock} and kin in
     *     {@link #waiters()})
     * @param contentions how many events were kept (not scaled)
     * @param delayNanos their summed delay or wait, in nanoseconds (not scaled)
     */
    public record Sample(String lock, List<StackTraceElement> stack, long contentions,
            long delayNanos) {
    }

    /**
     * The delays blamed on unlockers, heaviest first.
     *
     * @return a snapshot of the kept samples
     */
    public static List<Sample> delays() {
        return convert(Contention.delays());
    }

    /**
     * The waiters' own waits, longest total first.
     *
     * @return a snapshot of the kept samples
     */
    public static List<Sample> waiters() {
        return convert(Contention.waiters());
    }

    /**
     * The wait-time histograms of named locks (those made with a name): kept waits only.
     *
     * @return lock name to its histogram
     */
    public static Map<String, WaitHistogram> waitTimes() {
        return Contention.waitTimes().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> new WaitHistogram(e.getValue())));
    }

    /**
     * Whether hold times are being recorded: the JVM was started with
     * {@code -Ddev.gosync.holdtimes=on} (fixed at startup, so that with it off the locks' fast
     * paths carry no clock read, not even a test of a flag).
     *
     * @return true if {@link #holdTimes()} fills
     */
    public static boolean holdTimesOn() {
        return HoldTimes.ON;
    }

    /**
     * The hold-time histograms of named locks, with {@code -Ddev.gosync.holdtimes=on}: for
     * each name, every hold of a {@code Mutex} or of an {@code RWMutex}'s write lock with that
     * name, from the return of the call that acquired it to the call that releases it, and,
     * under the name followed by {@value #READ_HOLDS}, every read hold of an {@code RWMutex}
     * taken and released by the same thread. Not sampled: every hold counts. Empty when off.
     *
     * @return lock name to its histogram of hold times
     */
    public static Map<String, WaitHistogram> holdTimes() {
        return Contention.holdTimes().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> new WaitHistogram(e.getValue())));
    }

    /** The suffix of the hold-time histogram of an RWMutex's read holds: {@value}. */
    public static final String READ_HOLDS = HoldTimes.READ_SUFFIX;

    /** Discards every sample and histogram recorded so far; the fraction stays. */
    public static void reset() {
        Contention.reset();
    }

    /**
     * Writes the unlockers' profile in pprof's format (gzipped profile.proto), as Go's
     * {@code pprof.Lookup("mutex").WriteTo(w, 0)} does: sample types {@code contentions/count}
     * and {@code delay/nanoseconds}, scaled by the fraction. {@code go tool pprof} reads it.
     *
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public static void writePprof(OutputStream out) throws IOException {
        Pprof.write(delays(), Math.max(Contention.rate(), 1), out);
    }

    /**
     * Writes the waiters' profile (their own stacks and waits) in the same format.
     *
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public static void writeWaitersPprof(OutputStream out) throws IOException {
        Pprof.write(waiters(), Math.max(Contention.rate(), 1), out);
    }

    private static List<Sample> convert(List<Contention.Entry> entries) {
        return entries.stream()
                .map(e -> new Sample(e.label(), e.stack(), e.count(), e.nanos()))
                .sorted(Comparator.comparingLong(Sample::delayNanos).reversed())
                .collect(Collectors.toList());
    }
}
