package dev.gosync.bench;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelClosed;
import com.softwaremill.jox.Select;
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
 * A two-case receive select, gosync's {@link dev.gosync.chan.Select} against jox's
 * {@code Select.selectOrClosed(ch1.receiveClause(), ch2.receiveClause())}: 1 producer sending
 * alternately on two unbuffered channels, 1 consumer selecting over both ({@code @Group},
 * average time per operation). Ends each iteration as {@link JoxChanBench} does: the first
 * operation that sees {@link Control#stopMeasurement} closes every channel, which wakes a parked
 * partner. JDK 21+ only (src/jdk21/java, see {@link JoxChanBench}).
 */
@Fork(3)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class JoxSelectBench {
    private static final Object TOKEN = new Object();
    private static final Throwable STOP = new Throwable("iteration over", null, false, false) {
    };

    /** The channels of one pair of threads. */
    @State(Scope.Group)
    public static class Pair {
        Chan<Object> ch1;
        Chan<Object> ch2;
        dev.gosync.chan.Select select;     // the consumer's only
        Channel<Object> jox1;
        Channel<Object> jox2;
        boolean second;                    // producer only

        /** Creates the state; {@link #setup()} makes the channels. */
        public Pair() {
        }

        /** New channels each iteration: the last one closed them. */
        @Setup(Level.Iteration)
        public void setup() {
            ch1 = new Chan<>();
            ch2 = new Chan<>();
            select = new dev.gosync.chan.Select().receive(ch1).receive(ch2);
            jox1 = Channel.newRendezvousChannel();
            jox2 = Channel.newRendezvousChannel();
            second = false;
        }

        void stop() {
            close(ch1);
            close(ch2);
            jox1.errorOrClosed(STOP);
            jox2.errorOrClosed(STOP);
        }

        private static void close(Chan<Object> ch) {
            try {
                ch.close();
            } catch (IllegalStateException alreadyClosed) {
                // the partner closed it first
            }
        }
    }

    /** Creates the benchmark; the state is in {@link Pair}. */
    public JoxSelectBench() {
    }

    @Benchmark
    @Group("select2_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean select2_gosync_send(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return false;
        }
        boolean second = p.second;
        p.second = !second;
        try {
            (second ? p.ch2 : p.ch1).send(TOKEN);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    @Benchmark
    @Group("select2_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object select2_gosync_select(Pair p, Control c) {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        dev.gosync.chan.Select sel = p.select;
        sel.select();              // a closed case is ready too: (null, false)
        return sel.value();
    }

    @Benchmark
    @Group("select2_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object select2_jox_send(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        boolean second = p.second;
        p.second = !second;
        return (second ? p.jox2 : p.jox1).sendOrClosed(TOKEN);
    }

    @Benchmark
    @Group("select2_jox")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object select2_jox_select(Pair p, Control c) throws InterruptedException {
        if (c.stopMeasurement) {
            p.stop();
            return null;
        }
        Object v = Select.selectOrClosed(p.jox1.receiveClause(), p.jox2.receiveClause());
        return v instanceof ChannelClosed ? null : v;
    }
}
