package dev.gosync.chan;

import dev.gosync.internal.Node;
import dev.gosync.internal.Spin;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.Waiter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Go's {@code select} statement: waits until one of several channel operations can proceed,
 * then performs exactly that one.
 *
 * <p><b>Go equivalent:</b>
 * <pre>{@code
 * Go                                   Java
 * select {                             int i = new Select()
 * case v := <-jobs:                        .receive(jobs, v -> handle(v))          // case 0
 * case v, ok := <-events:                  .receiveOk(events, r -> seen(r.ok()))   // case 1
 * case out <- x:                           .send(out, x, () -> sent++)             // case 2
 * case <-time.After(time.Second):          .timeout(Duration.ofSeconds(1), this::tick)
 * default:                                 .orElse(this::idle)
 * }                                        .select();
 * }</pre>
 * Handlers are optional: {@link #select()} returns the chosen case's index (cases are numbered
 * from 0 in the order they were added), {@link #DEFAULT} or {@link #TIMEOUT}, and
 * {@link #value()}/{@link #ok()} hold what the chosen receive case received, so a hot loop can
 * build its Select once and {@code switch} on the index.
 *
 * <p><b>Go's rules, kept:</b>
 * <ul>
 *   <li>When several cases are ready, one is chosen uniformly at random, each time afresh.</li>
 *   <li>A receive case on a closed channel is ready, and receives {@code null} with
 *       {@code ok == false}; a send case on a closed channel, when chosen, throws
 *       {@code IllegalStateException("send on closed channel")} (Go panics).</li>
 *   <li>A case on a {@code null} channel is never ready (Go's nil channel): a way to switch a
 *       case off without rebuilding the statement.</li>
 *   <li>{@link #orElse()} (Go's {@code default}) is chosen when no case is ready; a
 *       {@link #timeout(Duration)} when none becomes ready in time. The timeout starts no thread
 *       and allocates no timer: the waiting thread parks with a deadline, which restarts at
 *       every run.</li>
 *   <li>With no enabled case, no default and no timeout, {@link #select()} blocks forever (Go's
 *       {@code select {}}); {@link #selectInterruptibly()} until interrupted.</li>
 * </ul>
 *
 * <p><b>How it waits:</b> one waiter, linked into the wait queue of every enabled case's
 * channel, is granted by exactly one of them (Go's {@code sudog}s of one goroutine deciding
 * through {@code selectDone}); the chosen operation is completed by the thread that granted
 * it, and the other places are unlinked before {@code select} returns. The channels' locks are
 * held together only while checking and linking, always taken in one global order.
 *
 * <p><b>Memory consistency effects:</b> those of the one channel operation performed, as
 * documented on {@link Chan}: a chosen receive sees everything done before the matching send,
 * and so on. Cases not chosen have no effect.
 *
 * <p><b>Use:</b> a Select belongs to one thread at a time. It may be run any number of times;
 * its cases (and the values of its send cases) stay as built.
 *
 * <p><b>Misuse:</b> a second {@code orElse} or a second {@code timeout} throws
 * {@code IllegalStateException} (Go rejects multiple defaults at compile time); a null send
 * value, handler or duration throws {@code NullPointerException}.
 */
public final class Select {
    /** What {@link #select()} returns when the default case ran. */
    public static final int DEFAULT = -1;
    /** What {@link #select()} returns when the timeout elapsed. */
    public static final int TIMEOUT = -2;

    private static final int NONE = -3;            // no case ready
    private static final byte RECEIVE = 0;
    private static final byte RECEIVE_OK = 1;
    private static final byte SEND = 2;

    // The cases, by index in the order added (owned by the using thread, like every field).
    private Chan<?>[] chans = new Chan<?>[2];      // null: a disabled case
    private byte[] kinds = new byte[2];
    private Object[] items = new Object[2];        // a send case's value
    private Object[] thens = new Object[2];        // handler: Consumer, or Runnable for a send
    private int size;
    private int[] order;        // enabled cases; shuffled into Go's pollorder at each run
    private int[] locks;        // one enabled case per distinct channel, by channel id; null: stale
    private boolean hasDefault;
    private Runnable onDefault;
    private long timeout = -1L;                    // nanos; -1: none
    private Runnable onTimeout;
    private int spins = Spin.HANDOFF;              // adaptive polls before parking (Spin.adapt)
    private int waits;                             // waits that linked, for Spin.polls' probes
    private Object value;                          // the chosen receive's value
    private boolean ok;                            // and whether it was a sent value

    /** Creates a select with no cases yet. */
    public Select() {
    }

    /**
     * Adds a receive case, Go's {@code case <-ch} or {@code case v := <-ch}.
     *
     * @param ch the channel, or null for a case that is never ready
     * @param <T> the element type
     * @return this
     */
    public <T> Select receive(ReceiveChan<T> ch) {
        return add(ch, RECEIVE, null, null);
    }

    /**
     * Adds a receive case with a handler, run with the value received (null if the channel was
     * closed) after the case is chosen.
     *
     * @param ch the channel, or null for a case that is never ready
     * @param then the handler
     * @param <T> the element type
     * @return this
     */
    public <T> Select receive(ReceiveChan<T> ch, Consumer<? super T> then) {
        return add(ch, RECEIVE, null, Objects.requireNonNull(then, "then"));
    }

    /**
     * Adds a receive case, Go's {@code case v, ok := <-ch}, whose handler learns whether the
     * value was sent or the channel is closed.
     *
     * @param ch the channel, or null for a case that is never ready
     * @param then the handler
     * @param <T> the element type
     * @return this
     */
    public <T> Select receiveOk(ReceiveChan<T> ch, Consumer<? super Received<T>> then) {
        return add(ch, RECEIVE_OK, null, Objects.requireNonNull(then, "then"));
    }

    /**
     * Adds a send case, Go's {@code case ch <- v}.
     *
     * @param ch the channel, or null for a case that is never ready
     * @param v the value, not null
     * @param <T> the element type
     * @return this
     */
    public <T> Select send(SendChan<T> ch, T v) {
        return add(ch, SEND, Objects.requireNonNull(v, "chan: send of null element"), null);
    }

    /**
     * Adds a send case with a handler, run after the value was sent.
     *
     * @param ch the channel, or null for a case that is never ready
     * @param v the value, not null
     * @param then the handler
     * @param <T> the element type
     * @return this
     */
    public <T> Select send(SendChan<T> ch, T v, Runnable then) {
        return add(ch, SEND, Objects.requireNonNull(v, "chan: send of null element"),
                Objects.requireNonNull(then, "then"));
    }

    /**
     * Adds Go's {@code default}: chosen when no case is ready.
     *
     * @return this
     * @throws IllegalStateException if this select has a default already
     */
    public Select orElse() {
        if (hasDefault) {
            throw new IllegalStateException("select: multiple defaults");
        }
        hasDefault = true;
        return this;
    }

    /**
     * Adds Go's {@code default} with a handler.
     *
     * @param then run when no case is ready
     * @return this
     * @throws IllegalStateException if this select has a default already
     */
    public Select orElse(Runnable then) {
        Objects.requireNonNull(then, "then");
        orElse();
        onDefault = then;
        return this;
    }

    /**
     * Adds a timeout, Go's {@code case <-time.After(d)}: chosen when no case becomes ready
     * within {@code d} of the start of a run (at once if {@code d} is not positive). No thread
     * or timer is started.
     *
     * @param d the longest wait
     * @return this
     * @throws IllegalStateException if this select has a timeout already
     */
    public Select timeout(Duration d) {
        long nanos = Timeouts.nanos(Objects.requireNonNull(d, "d"));
        if (timeout >= 0L) {
            throw new IllegalStateException("select: multiple timeouts");
        }
        timeout = Math.max(nanos, 0L);
        return this;
    }

    /**
     * Adds a timeout with a handler.
     *
     * @param d the longest wait
     * @param then run when the time ran out
     * @return this
     * @throws IllegalStateException if this select has a timeout already
     */
    public Select timeout(Duration d, Runnable then) {
        Objects.requireNonNull(then, "then");
        timeout(d);
        onTimeout = then;
        return this;
    }

    /**
     * Runs the select: waits, uninterruptibly, until a case can proceed, performs it, runs its
     * handler if it has one, and returns its index. An interrupt while waiting is re-asserted
     * on return.
     *
     * @return the chosen case's index, {@link #DEFAULT} or {@link #TIMEOUT}
     * @throws IllegalStateException if a send case on a closed channel was chosen
     */
    public int select() {
        int k;
        try {
            k = choose(false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return then(k);
    }

    /**
     * As {@link #select()}, but interruptible.
     *
     * @return the chosen case's index, {@link #DEFAULT} or {@link #TIMEOUT}
     * @throws InterruptedException if interrupted while waiting (no case was performed)
     * @throws IllegalStateException if a send case on a closed channel was chosen
     */
    public int selectInterruptibly() throws InterruptedException {
        return then(choose(true));
    }

    /**
     * What the chosen receive case received: the value, or null if its channel was closed (or
     * the last run chose no receive case). The type is the caller's to state: the case's
     * element type.
     *
     * @param <T> the element type of the chosen case
     * @return the value, or null
     */
    @SuppressWarnings("unchecked")
    public <T> T value() {
        return (T) value;
    }

    /**
     * Whether the chosen receive case received a sent value (false: its channel was closed).
     *
     * @return Go's {@code ok}
     */
    public boolean ok() {
        return ok;
    }

    /**
     * Shows the number of cases, default and timeout.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "Select[cases=" + size + (hasDefault ? ", default" : "")
                + (timeout >= 0L ? ", timeout=" + Duration.ofNanos(timeout) : "") + "]";
    }

    // Building

    private Select add(Object ch, byte kind, Object item, Object then) {
        if (size == chans.length) {
            int n = size * 2;
            chans = Arrays.copyOf(chans, n);
            kinds = Arrays.copyOf(kinds, n);
            items = Arrays.copyOf(items, n);
            thens = Arrays.copyOf(thens, n);
        }
        chans[size] = (Chan<?>) ch;                 // sealed: every channel is a Chan
        kinds[size] = kind;
        items[size] = item;
        thens[size] = then;
        size++;
        locks = null;
        return this;
    }

    /** Computes the enabled cases and the lock order (one case per channel, by id). */
    private void prepare() {
        int n = 0;
        int[] en = new int[size];
        for (int i = 0; i < size; i++) {
            if (chans[i] != null) {
                en[n++] = i;
            }
        }
        order = Arrays.copyOf(en, n);
        int[] byId = Arrays.copyOf(en, n);
        for (int i = 1; i < n; i++) {               // insertion sort: selects are small
            int c = byId[i];
            int j = i - 1;
            for (; j >= 0 && chans[byId[j]].id > chans[c].id; j--) {
                byId[j + 1] = byId[j];
            }
            byId[j + 1] = c;
        }
        int d = 0;
        for (int i = 0; i < n; i++) {
            if (d == 0 || chans[byId[d - 1]] != chans[byId[i]]) {
                byId[d++] = byId[i];
            }
        }
        locks = Arrays.copyOf(byId, d);
    }

    // Running

    private int then(int k) {
        Object h = k >= 0 ? thens[k] : k == DEFAULT ? onDefault : onTimeout;
        if (h != null) {
            run(h, k);
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private void run(Object h, int k) {
        if (k < 0 || kinds[k] == SEND) {
            ((Runnable) h).run();
        } else if (kinds[k] == RECEIVE) {
            ((Consumer<Object>) h).accept(value);
        } else {
            ((Consumer<Received<Object>>) h).accept(new Received<>(value, ok));
        }
    }

    private int choose(boolean interruptible) throws InterruptedException {
        value = null;
        ok = false;
        if (locks == null) {
            prepare();
        }
        shuffle();
        int k;
        lockAll();
        try {
            k = pollLocked();
        } finally {
            unlockAll();
        }
        if (k != NONE) {
            return k;
        }
        if (hasDefault) {
            return DEFAULT;
        }
        if (timeout == 0L) {
            return TIMEOUT;
        }
        return block(interruptible);
    }

    /** Go's pollorder: a uniformly random permutation of the enabled cases. */
    private void shuffle() {
        int[] o = order;
        if (o.length > 1) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = o.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
    }

    /** Pass 1, all locks held: the first ready case in pollorder, performed; or NONE. */
    private int pollLocked() {
        for (int i : order) {
            Chan<?> c = chans[i];
            if (kinds[i] == SEND) {
                if (c.offerLocked(items[i])) {      // throws if closed
                    return i;
                }
            } else {
                Object v = c.pollLocked();
                if (v != Chan.EMPTY) {
                    received(v);
                    return i;
                }
            }
        }
        return NONE;
    }

    private void received(Object v) {
        ok = v != Chan.CLOSED;
        value = ok ? v : null;
    }

    /** Pass 2 and the wait: link one waiter's nodes on every channel, park, clean up. */
    private int block(boolean interruptible) throws InterruptedException {
        final boolean timed = timeout > 0L;
        final long deadline = timed ? System.nanoTime() + timeout : 0L;
        boolean interrupted = false;
        try {
            for (;;) {
                Waiter w = new Waiter();            // allocated before any lock is taken
                Node[] nodes = new Node[size];
                for (int i : order) {
                    nodes[i] = w.link(i);
                    nodes[i].item(items[i]);        // a send's value; null for a receive
                }
                int budget = Spin.polls(this.spins, ++waits);
                if (budget > 0) {
                    w.willSpin();                   // before any link: see Waiter.willSpin
                }
                int spins = 0;
                lockAll();
                try {
                    int k = pollLocked();           // again: the locks were let go meanwhile
                    if (k != NONE) {
                        return k;
                    }
                    for (int i : order) {
                        if (chans[i].link(nodes[i], kinds[i] == SEND)) {
                            spins = budget;         // first in some queue: a partner may come soon
                        }
                    }
                } finally {
                    unlockAll();
                }
                long nanos = timed ? deadline - System.nanoTime() : 0L;
                WaitMode mode = timed ? WaitMode.TIMED
                        : interruptible ? WaitMode.INTERRUPTIBLE : WaitMode.UNINTERRUPTIBLE;
                int outcome;
                try {
                    outcome = w.await(this, mode, nanos, spins);
                } catch (Throwable t) {
                    w.cancel();                     // a grant that won is lost with the error
                    unlinkAll(nodes, null);
                    throw t;
                }
                if (spins > 0) {
                    this.spins = Spin.adapt(spins, w.grantedWhilePolling());
                }
                Node won = w.granted();
                unlinkAll(nodes, won);
                if (won != null) {
                    return finish(won);
                }
                if (outcome == Waiter.TIMED_OUT) {
                    return TIMEOUT;
                }
                if (interruptible) {
                    throw new InterruptedException();
                }
                // Uninterruptible with a timeout: TIMED parks give up on an interrupt. Nothing
                // was performed, so waiting again for the time left is the same wait.
                interrupted = true;
                if (deadline - System.nanoTime() <= 0L) {
                    return TIMEOUT;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The granted case: the granting thread completed it through {@code won}. */
    private int finish(Node won) {
        int i = (int) won.arg();
        Object item = won.item();
        if (kinds[i] == SEND) {
            if (item == Chan.CLOSED) {
                throw new IllegalStateException("send on closed channel");
            }
        } else {
            received(item);
        }
        return i;
    }

    /** Pass 3: unlinks every node but the granted one, each under its channel's lock. */
    private void unlinkAll(Node[] nodes, Node won) {
        for (int i : order) {
            Node n = nodes[i];
            if (n != won) {
                chans[i].unlinkLocking(n, kinds[i] == SEND);
            }
        }
    }

    private void lockAll() {
        for (int i : locks) {
            chans[i].lock();
        }
    }

    private void unlockAll() {
        for (int i = locks.length - 1; i >= 0; i--) {
            chans[locks[i]].unlock();
        }
    }
}
