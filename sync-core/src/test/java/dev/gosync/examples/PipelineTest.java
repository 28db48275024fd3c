package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.chan.ReceiveChan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipelineTest {
    /** A result that says which worker thread made it. */
    record Squared(int input, long square, String worker) {
    }

    private static Squared square(int x) {
        return new Squared(x, (long) x * x, "thread-" + Thread.currentThread().getId());
    }

    // Every input is squared exactly once, by some worker, and the consumer's range ends after
    // the last result: the multiset of results is exactly {1, 4, ..., n^2}.
    @Test
    void everyValueIsProcessedExactlyOnceAndTheRangeEnds() {
        int n = 10_000;
        List<Squared> results = new ArrayList<>();
        for (Squared s : Pipeline.fanOut(Pipeline.generate(n), 4, PipelineTest::square)) {
            results.add(s);
        }
        assertEquals(n, results.size());
        List<Long> squares = results.stream().map(Squared::square).sorted()
                .collect(Collectors.toList());
        assertEquals(LongStream.rangeClosed(1, n).map(x -> x * x).boxed()
                .collect(Collectors.toList()), squares);
        for (Squared s : results) {
            assertEquals((long) s.input() * s.input(), s.square());
        }
    }

    // The sum through the pipeline equals the closed form, for several worker counts (1 worker:
    // a plain chain; more workers than values: some get nothing and still finish).
    @Test
    void sumOfSquaresForAnyWorkerCount() {
        int n = 500;
        long expected = (long) n * (n + 1) * (2L * n + 1) / 6;
        for (int workers : new int[] {1, 2, 3, 8, 600}) {
            long sum = 0;
            for (Squared s : Pipeline.fanOut(Pipeline.generate(n), workers,
                    PipelineTest::square)) {
                sum += s.square();
            }
            assertEquals(expected, sum, workers + " workers");
        }
    }

    // The work really fans out: with every worker parked inside f until all of them have
    // entered it, the pipeline can only finish if each of the N workers took a value at once.
    @Test
    void workersRunConcurrently() {
        int workers = 4;
        CountDownLatch allIn = new CountDownLatch(workers);
        Set<String> names = ConcurrentHashMap.newKeySet();
        ReceiveChan<Squared> out = Pipeline.fanOut(Pipeline.generate(workers), workers, x -> {
            allIn.countDown();
            try {
                assertTrue(allIn.await(30, TimeUnit.SECONDS), "workers did not run together");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Squared s = square(x);
            names.add(s.worker());
            return s;
        });
        List<Integer> inputs = new ArrayList<>();
        for (Squared s : out) {
            inputs.add(s.input());
        }
        Collections.sort(inputs);
        assertEquals(List.of(1, 2, 3, 4), inputs);
        assertEquals(workers, names.size(), "each value should have had its own worker");
    }

    // An empty generator closes at once; the output closes after the workers see that.
    @Test
    void emptyInputClosesTheOutput() {
        ReceiveChan<Squared> out = Pipeline.fanOut(Pipeline.generate(0), 3, PipelineTest::square);
        assertFalse(out.receiveOk().ok());
        assertFalse(out.iterator().hasNext());
    }

    @Test
    void atLeastOneWorker() {
        assertThrows(IllegalArgumentException.class,
                () -> Pipeline.fanOut(Pipeline.generate(1), 0, PipelineTest::square));
    }
}
