package dev.gosync.bench;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelClosed;
import dev.gosync.chan.Chan;
import java.util.concurrent.TimeUnit;
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
 * {@link Chan} against <a href="https://github.com/softwaremill/jox">jox</a> 1.0.1's
 * {@link Channel}, the JVM's other Go-style channel (lock-free, after Koval et al.'s "Fast and
 * Scalable Channels in Kotlin Coroutines"), in the shapes of {@link ChanBench}:
 * {@code pingPong_*} (two unbuffered channels, one round trip per operation on each side),
 * {@code buffered_*} (capacity 16, 1 producer + 1 consumer, throughput counting both sides) and
 * {@code sendReceive_*} (one thread, send then receive on an empty capacity-16 channel). The bar:
 * gosync faster than jox on every pair.
 *
 * <p>jox needs Java 21: this class lives in {@code src/jdk21/java}, which the {@code jdk21}
 * profile of sync-bench compiles with {@code --release 21} (with jox as a dependency) only when
 * Maven runs on JDK 21+. A jar built on JDK 17 does not contain it.
 *
 * <p><b>Why the two-thread benchmarks never hang.</b> Unlike {@link ChanBench}, both sides use
 * their untimed blocking calls (jox 1.0.1 has no timed send or receive outside a select), and
 * both channels can be closed: the first operation that sees {@link Control#stopMeasurement}
 * (set by JMH when the first thread of the pair leaves its measured loop) closes every channel
 * of the pair and returns. A partner parked in a send or receive is woken by the close (gosync:
 * receive returns null, send throws, caught; jox: {@code errorOrClosed}, then the
 * {@code *OrClosed} calls return a {@link ChannelClosed}) and runs to the end. A thread can only
 * be parked while its partner has not finished warming down, and a partner that has finished
 * measuring keeps calling the benchmark until then, so the close always comes. The channels are
 * new each iteration.
 */
@Fork(3)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class JoxChanBench {
    static final int CAPACITY = 16;
    private static final Object PING = new Object();
    private static final Object PONG = new Object();
    private static final Throwable STOP = new Throwable("iteration over", null, false, false) {
    };

    /** The channels of one pair of threads (a {@code @Group}). */
    @State(Scope.Group)
    public static class Pair {
        Chan<Object> ping;
        Chan<Object> pong;
        Chan<Object> buffered;
        Channel<Object> joxPing;
        Channel<Object> joxPong;
        Channel<Object> joxBuffered;

        /** Creates the state; {@link #setup()} makes the channels. */
        public Pair() {
        }

        /** New channels each iteration: the last one closed them. */
        @Setup(Level.Iteration)
        public void setup() {
            ping = new Chan<>();
            pong = new Chan<>();
            buffered = new Chan<>(CAPACITY);
            joxPing = Channel.newRendezvousChannel();
            joxPong = Channel.newRendezvousChannel();
            joxBuffered = Channel.newBufferedChannel(CAPACITY);
        }

        /** Closes every channel of the pair; any number of times, from either thread. */
        void stop() {
            close(ping);
            close(pong);
            close(buffered);
            joxPing.errorOrClosed(STOP);
            joxPong.errorOrClosed(STOP);
            joxBuffered.errorOrClosed(STOP);
        }

        private static void close(Chan<Object> ch) {
            try {
                ch.close();
            } catch (IllegalStateException alreadyClosed) {
                // the partner closed it first
            }
        }
    }

    /** The one-thread benchmarks' own state. */
    @State(Scope.Thread)
    public static class Single {
        final Chan<Object> ch = new Chan<>(CAPACITY);
        final Channel<Object> jox = Channel.newBufferedChannel(CAPACITY);

        /** Creates the empty channels. */
        public Single() {
        }
    }

    /** Creates the benchmark; the state is in {@link Pair} and {@link Single}. */
    public JoxChanBench() {
    }

    // Rendezvous ping-pong: one round trip per operation on each side.

    @Benchmark
    @Group("pingPong_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_gosync_ping(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        return send(p.ping, PING) ? p.pong.receive() : null;
    }

    @Benchmark
    @Group("pingPong_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean pingPong_gosync_pong(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return false;
        }
        return p.ping.receive() != null && send(p.pong, PONG);
    }

    @Benchmark
    @Group("pingPong_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_jox_ping(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        return p.joxPing.sendOrClosed(PING) == null ? p.joxPong.receiveOrClosed() : null;
    }

    @Benchmark
    @Group("pingPong_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object pingPong_jox_pong(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        Object v = p.joxPing.receiveOrClosed();
        return v instanceof ChannelClosed ? v : p.joxPong.sendOrClosed(PONG);
    }

    // Buffered(16) producer/consumer throughput.

    @Benchmark
    @Group("buffered_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean buffered_gosync_send(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return false;
        }
        return send(p.buffered, PING);
    }

    @Benchmark
    @Group("buffered_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_gosync_receive(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        return p.buffered.receive();
    }

    @Benchmark
    @Group("buffered_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_jox_send(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        return p.joxBuffered.sendOrClosed(PING);
    }

    @Benchmark
    @Group("buffered_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object buffered_jox_receive(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        return p.joxBuffered.receiveOrClosed();
    }

    // Uncontended send + receive on a buffer that is empty before and after.

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
    public Object sendReceive_jox(Single s) throws InterruptedException {
        Channel<Object> ch = s.jox;
        ch.send(PING);
        return ch.receive();
    }

    /** Sends, or returns false if the partner closed the channel to end the iteration. */
    private static boolean send(Chan<Object> ch, Object v) {
        try {
            ch.send(v);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }
}
