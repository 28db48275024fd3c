package dev.gosync.bench;

import dev.gosync.chan.Chan;
import dev.gosync.chan.Received;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Exchanger;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * {@link Chan} against the JDK classes a user would pick instead, three shapes:
 *
 * <ul>
 *   <li>{@code pingPong_*} (two threads, {@code @Group}, average time of one round trip): one
 *       thread hands a token over and waits for the reply, the other waits for the token and
 *       replies. gosync: two unbuffered channels (ping, pong), two rendezvous per round trip;
 *       {@code synchronousQueue}: the same with two {@link SynchronousQueue}s;
 *       {@code exchanger}: one {@link Exchanger#exchange} on each side, which is a round trip in
 *       one rendezvous (each side leaves with the other's value); {@code exchangerPair}: the
 *       channels' shape with Exchangers, two rendezvous per round trip (ping, then pong, each
 *       side exchanging on both). The bar: a rendezvous through gosync at most 1.2x one
 *       through the Exchanger, i.e. gosync's round trip against {@code exchangerPair}'s, or half
 *       of it against {@code exchanger}'s.</li>
 *   <li>{@code buffered_*} (1 producer + 1 consumer, {@code @Group}, throughput: the score counts
 *       the operations of both threads, two per element): a channel of capacity 16 against
 *       {@code ArrayBlockingQueue(16)} and {@link LinkedTransferQueue}. The bar: gosync's
 *       throughput at least ABQ's. LTQ is unbounded: left alone its producer runs ahead, the
 *       queue grows by millions of nodes per iteration and the group score counts the
 *       producer's lead as throughput; so its producer is held at most 16 elements ahead by a
 *       count that only the consumer writes (one release store per element, one acquire load
 *       per send; a bounded queue pays that inside its lock).</li>
 *   <li>{@code sendReceive_*} (one thread): send then receive on a capacity-16 channel that is
 *       empty before and after, i.e. the uncontended fast path, against ABQ's
 *       {@code offer} + {@code poll}.</li>
 * </ul>
 *
 * <p><b>Why the two-thread benchmarks never hang.</b> JMH runs each thread's measured loop,
 * then keeps it calling the benchmark method ("warm-down") until every thread of the group has
 * finished measuring, then lets each leave. The last thread to finish leaves at once; if its
 * partner is parked in a receive that only the leaver would have satisfied, an untimed receive
 * would wait forever (until JMH's 10-minute timeout interrupts it; a gosync {@code send()} is
 * not even interruptible), and the CI smoke pass would hang. So every blocking step here, on
 * gosync's side and the JDK's alike, is a timed wait of {@link #PATIENCE} in a loop that gives
 * up once {@link Control#stopMeasurement} is set (JMH sets it as the first thread leaves its
 * measured loop): a parked thread is free within {@code PATIENCE} of the end of the iteration.
 * During measurement a timed wait only expires if the partner was descheduled for 10 ms; it is
 * then retried, so the protocol stays in step. Timed and untimed waits take the same path in
 * all four classes (one deadline read before parking); every channel and queue is new each
 * iteration, so nothing left over from a warm-down leaks into the next.
 *
 * <p>On two cores, each thread of a pair has a core only if nobody else is running: contended
 * figures need 3+ forks (the default here) and should be quoted as ratios.
 */
@Fork(3)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ChanBench {
    /** Longest single wait before the stop flag is checked again; see the class comment. */
    static final Duration PATIENCE = Duration.ofMillis(10);
    private static final long PATIENCE_MS = PATIENCE.toMillis();
    static final int CAPACITY = 16;
    private static final Object PING = new Object();
    private static final Object PONG = new Object();

    /** The channels and queues of one pair of threads (a {@code @Group}). */
    @State(Scope.Group)
    public static class Pair {
        Chan<Object> ping;
        Chan<Object> pong;
        SynchronousQueue<Object> pingQueue;
        SynchronousQueue<Object> pongQueue;
        Exchanger<Object> exchanger;
        Exchanger<Object> pingExchanger;
        Exchanger<Object> pongExchanger;
        Chan<Object> buffered;
        ArrayBlockingQueue<Object> abq;
        LinkedTransferQueue<Object> ltq;
        long ltqSent;                                     // LTQ producer only
        final AtomicLong ltqTaken = new AtomicLong();     // LTQ consumer writes (release)

        /** Creates the state; {@link #setup()} makes the channels. */
        public Pair() {
        }

        /** New channels and queues each iteration: a warm-down may leave elements in them. */
        @Setup(Level.Iteration)
        public void setup() {
            ping = new Chan<>();
            pong = new Chan<>();
            pingQueue = new SynchronousQueue<>();
            pongQueue = new SynchronousQueue<>();
            exchanger = new Exchanger<>();
            pingExchanger = new Exchanger<>();
            pongExchanger = new Exchanger<>();
            buffered = new Chan<>(CAPACITY);
            abq = new ArrayBlockingQueue<>(CAPACITY);
            ltq = new LinkedTransferQueue<>();
            ltqSent = 0L;
            ltqTaken.set(0L);
        }
    }

    /** Creates the benchmark; the state is in {@link Pair} and {@link Single}. */
    public ChanBench() {
    }

    // Rendezvous ping-pong: one round trip per operation on each side.

    @Benchmark
    @Group("pingPong_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_gosync_ping(Pair p, Control c) throws InterruptedException {
        return send(p.ping, PING, c) ? receive(p.pong, c) : null;
    }

    @Benchmark
    @Group("pingPong_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean pingPong_gosync_pong(Pair p, Control c) throws InterruptedException {
        return receive(p.ping, c) != null && send(p.pong, PONG, c);
    }

    @Benchmark
    @Group("pingPong_synchronousQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_synchronousQueue_ping(Pair p, Control c) throws InterruptedException {
        return offer(p.pingQueue, PING, c) ? poll(p.pongQueue, c) : null;
    }

    @Benchmark
    @Group("pingPong_synchronousQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean pingPong_synchronousQueue_pong(Pair p, Control c) throws InterruptedException {
        return poll(p.pingQueue, c) != null && offer(p.pongQueue, PONG, c);
    }

    @Benchmark
    @Group("pingPong_exchanger")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_exchanger_ping(Pair p, Control c) throws InterruptedException {
        return exchange(p.exchanger, PING, c);
    }

    @Benchmark
    @Group("pingPong_exchanger")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_exchanger_pong(Pair p, Control c) throws InterruptedException {
        return exchange(p.exchanger, PONG, c);
    }

    @Benchmark
    @Group("pingPong_exchangerPair")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_exchangerPair_ping(Pair p, Control c) throws InterruptedException {
        return exchange(p.pingExchanger, PING, c) != null
                ? exchange(p.pongExchanger, PING, c) : null;
    }

    @Benchmark
    @Group("pingPong_exchangerPair")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_exchangerPair_pong(Pair p, Control c) throws InterruptedException {
        return exchange(p.pingExchanger, PONG, c) != null
                ? exchange(p.pongExchanger, PONG, c) : null;
    }

    // Buffered(16) producer/consumer throughput.

    @Benchmark
    @Group("buffered_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean buffered_gosync_send(Pair p, Control c) throws InterruptedException {
        return send(p.buffered, PING, c);
    }

    @Benchmark
    @Group("buffered_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_gosync_receive(Pair p, Control c) throws InterruptedException {
        return receive(p.buffered, c);
    }

    @Benchmark
    @Group("buffered_arrayBlockingQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean buffered_arrayBlockingQueue_send(Pair p, Control c) throws InterruptedException {
        return offer(p.abq, PING, c);
    }

    @Benchmark
    @Group("buffered_arrayBlockingQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_arrayBlockingQueue_receive(Pair p, Control c) throws InterruptedException {
        return poll(p.abq, c);
    }

    @Benchmark
    @Group("buffered_linkedTransferQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean buffered_linkedTransferQueue_send(Pair p, Control c) {
        long sent = p.ltqSent;
        for (int spins = 0; sent - p.ltqTaken.getAcquire() >= CAPACITY; spins++) {
            if (c.stopMeasurement) {
                return false;
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();     // two cores, shared: give the consumer the CPU
            }
        }
        p.ltq.offer(PING);            // unbounded: never blocks
        p.ltqSent = sent + 1;
        return true;
    }

    @Benchmark
    @Group("buffered_linkedTransferQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_linkedTransferQueue_receive(Pair p, Control c) throws InterruptedException {
        Object v = poll(p.ltq, c);
        if (v != null) {
            p.ltqTaken.setRelease(p.ltqTaken.getPlain() + 1);   // single writer; pairs with
        }                                                   // getAcquire in _send
        return v;
    }

    // Uncontended send + receive on a buffer that is empty before and after.

    /** The one-thread benchmarks' own state (a group-scoped state needs a @Group method). */
    @State(Scope.Thread)
    public static class Single {
        final Chan<Object> ch = new Chan<>(CAPACITY);
        final ArrayBlockingQueue<Object> abq = new ArrayBlockingQueue<>(CAPACITY);

        /** Creates an empty channel and queue. */
        public Single() {
        }
    }

    @Benchmark
    @Fork(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object sendReceive_gosync(Single s) {
        Chan<Object> ch = s.ch;
        ch.send(PING);
        return ch.receive();
    }

    @Benchmark
    @Fork(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object sendReceive_arrayBlockingQueue(Single s) {
        ArrayBlockingQueue<Object> q = s.abq;
        q.offer(PING);
        return q.poll();
    }

    // Timed steps that give up at the end of the iteration (see the class comment).

    static boolean send(Chan<Object> ch, Object v, Control c) throws InterruptedException {
        while (!ch.trySend(v, PATIENCE)) {
            if (c.stopMeasurement) {
                return false;
            }
        }
        return true;
    }

    static Object receive(Chan<Object> ch, Control c) throws InterruptedException {
        Received<Object> r;
        while ((r = ch.tryReceive(PATIENCE)) == null) {
            if (c.stopMeasurement) {
                return null;
            }
        }
        return r.value();
    }

    private static boolean offer(BlockingQueue<Object> q, Object v, Control c)
            throws InterruptedException {
        while (!q.offer(v, PATIENCE_MS, TimeUnit.MILLISECONDS)) {
            if (c.stopMeasurement) {
                return false;
            }
        }
        return true;
    }

    private static Object poll(BlockingQueue<Object> q, Control c) throws InterruptedException {
        Object v;
        while ((v = q.poll(PATIENCE_MS, TimeUnit.MILLISECONDS)) == null) {
            if (c.stopMeasurement) {
                return null;
            }
        }
        return v;
    }

    private static Object exchange(Exchanger<Object> x, Object v, Control c)
            throws InterruptedException {
        while (true) {
            try {
                return x.exchange(v, PATIENCE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (c.stopMeasurement) {
                    return null;
                }
            }
        }
    }
}
