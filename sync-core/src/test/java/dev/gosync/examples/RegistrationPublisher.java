package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.Once;
import dev.gosync.WaitGroup;
import dev.gosync.atomic.AtomicBool;
import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.AtomicPointer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Keeps this server's entry in a service registry (etcd, Consul, a topology server) equal to
 * its desired state: address and tags that change while it runs (draining, new serving shards).
 *
 * <p><b>Primitives, each for one job:</b>
 * <ul>
 *   <li>{@link Once} makes {@link #register()} idempotent: start-up code, a retry path and an
 *       admin command may all call it, and only the first starts the publisher. (The later
 *       callers wait until the first has started it, then return.)</li>
 *   <li>a {@link WaitGroup}: the publisher loop is started with {@link WaitGroup#go}, so that
 *       {@link #shutdown()} can wait for it to end.</li>
 *   <li>the cancel handle lives under its own small {@link Mutex}, {@code cancelMu}, which guards
 *       nothing else. Shutdown takes the handle under the lock, <em>cancels</em> outside it, then
 *       <em>awaits</em> the loop: cancel-then-await, never await-then-cancel (which would wait
 *       forever). {@code wg.go} is called while {@code cancelMu} is held, so a shutdown that
 *       finds the handle also finds the loop counted in the WaitGroup (an {@code Add} from zero
 *       must happen before the {@code Wait}).</li>
 *   <li>the desired state is an immutable {@link Registration} behind an {@link AtomicPointer},
 *       changed copy-on-write by {@link #mutate} ({@code AtomicPointer.updateAndGet}: read the
 *       current record, build a new one, {@code compareAndSwap}, retry if another mutation got
 *       in first). Many threads may mutate
 *       at once without a lock and without losing an update, and the loop reads a consistent
 *       record with one {@code load}.</li>
 *   <li>a wake-up signal of capacity one: a mutation offers a token and never blocks; if a
 *       token is already pending, the offer fails and the wake-ups coalesce. However many
 *       mutations happen while the loop is busy publishing, it wakes once more and publishes the
 *       latest state, which already includes all of them. (Go's {@code make(chan struct{}, 1)}
 *       with {@code select { case ch <- struct{}{}: default: }}; Java has no channel, and an
 *       {@link ArrayBlockingQueue} of capacity one with {@code offer} is the same thing.)</li>
 * </ul>
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class RegistrationPublisher {
    /** The desired registry entry. Immutable: change it only through {@link #mutate}. */
    record Registration(String address, Map<String, String> tags) {
        Registration {
            Objects.requireNonNull(address, "address");
            tags = Map.copyOf(tags);
        }

        /**
         * @param key the tag's name
         * @param value its value
         * @return a copy with the tag set
         */
        Registration withTag(String key, String value) {
            Map<String, String> t = new HashMap<>(tags);
            t.put(key, value);
            return new Registration(address, t);
        }
    }

    /** The registry client; {@code publish} may block and may fail. */
    @FunctionalInterface
    interface Registry {
        /**
         * @param registration the entry to write
         * @throws Exception if the write failed; it is retried after the retry interval
         */
        void publish(Registration registration) throws Exception;
    }

    /** A cancel handle for one publisher loop (Go's {@code context.CancelFunc}). */
    private final class Cancel {
        final AtomicBool cancelled = new AtomicBool();

        void cancel() {
            cancelled.store(true);
            wakeUp();   // if a token is already pending, the loop wakes on it just the same
        }
    }

    private static final Object TOKEN = new Object();

    private final Registry registry;
    private final Duration retryInterval;
    private final AtomicPointer<Registration> desired;
    private final ArrayBlockingQueue<Object> wake = new ArrayBlockingQueue<>(1);
    private final Once registerOnce = new Once();
    private final WaitGroup wg = new WaitGroup();
    private final AtomicInt64 publishFailures = new AtomicInt64();
    private final AtomicInt64 passes = new AtomicInt64();   // loop passes: wake-ups acted on

    private final Mutex cancelMu = new Mutex();   // a leaf; guards only the two fields below
    private Cancel cancel;                        // guarded by cancelMu; the running loop's
    private boolean shutDown;                     // guarded by cancelMu

    /**
     * @param registry where to publish
     * @param initial the desired entry to begin with
     * @param retryInterval how long to wait before retrying a failed publish
     */
    RegistrationPublisher(Registry registry, Registration initial, Duration retryInterval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.desired = new AtomicPointer<>(Objects.requireNonNull(initial, "initial"));
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    }

    /** Starts publishing, once; later calls (and calls after {@link #shutdown()}) do nothing. */
    void register() {
        registerOnce.run(this::start);
    }

    private void start() {
        try (Locker.Held held = cancelMu.locked()) {
            if (shutDown) {
                return;
            }
            Cancel c = new Cancel();
            cancel = c;
            wg.go(() -> publishLoop(c));   // under cancelMu: see the class comment
        }
    }

    /**
     * Changes the desired entry, copy-on-write, and wakes the publisher. Lock-free: never
     * blocks, and concurrent mutations are all applied (a lost CAS retries against the winner's
     * record). {@code f} may run more than once, so it must be a pure function.
     *
     * @param f computes the new entry from the current one
     * @return the entry this mutation installed
     */
    Registration mutate(UnaryOperator<Registration> f) {
        Registration next = desired.updateAndGet(
                old -> Objects.requireNonNull(f.apply(old), "f returned null"));
        wakeUp();
        return next;
    }

    /** @return the desired entry now */
    Registration desired() {
        return desired.load();
    }

    /**
     * @return how many passes the publisher loop has made: one at start, then one per wake-up
     *     it acted on (coalesced wake-ups count once) or per retry
     */
    long passes() {
        return passes.load();
    }

    /** @return how many publishes failed (each is retried) */
    long publishFailures() {
        return publishFailures.load();
    }

    /**
     * Stops the publisher: cancels it, then waits until it has returned (a publish in progress
     * is not interrupted: it finishes first). Idempotent; a {@link #register()} after it does
     * nothing.
     *
     * @throws InterruptedException if interrupted while waiting; the loop is cancelled and
     *     ends on its own
     */
    void shutdown() throws InterruptedException {
        Cancel c;
        try (Locker.Held held = cancelMu.locked()) {
            shutDown = true;
            c = cancel;
            cancel = null;
        }
        if (c != null) {
            c.cancel();   // first cancel ...
        }
        wg.await();       // ... then wait
    }

    private void wakeUp() {
        wake.offer(TOKEN);   // capacity 1: fails, harmlessly, if a wake-up is already pending
    }

    private void publishLoop(Cancel c) {
        Registration published = null;
        try {
            while (!c.cancelled.load()) {
                passes.add(1);
                Registration want = desired.load();
                if (want != published) {   // identity: every mutation makes a new record
                    try {
                        registry.publish(want);
                        published = want;
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        publishFailures.add(1);
                    }
                }
                if (published == want) {
                    wake.take();           // up to date: sleep until something changes
                } else {
                    wake.poll(retryInterval.toNanos(), TimeUnit.NANOSECONDS);   // retry later
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // our own thread: interrupted means stop
        }
    }
}
