package dev.gosync.chan;

import static org.junit.jupiter.api.Assertions.*;

import dev.gosync.Go;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChanTest {
    @RegisterExtension
    final StartedThreads threads = new StartedThreads();

    private static void awaitState(Thread t, Thread.State s) {
        while (t.getState() != s) {
            Thread.onSpinWait();
        }
    }

    @Test
    void unbufferedRendezvous() throws Exception {
        Chan<Integer> ch = new Chan<>();
        Thread t = threads.start(() -> ch.send(7));
        assertEquals(7, ch.receive());
        t.join();
        assertEquals(0, ch.len());
        assertEquals(0, ch.cap());
    }

    @Test
    void unbufferedTrySendFailsWithoutReceiver() {
        Chan<String> ch = new Chan<>();
        assertFalse(ch.trySend("x"));
        assertNull(ch.tryReceive());
    }

    @Test
    void bufferedFifo() {
        Chan<Integer> ch = new Chan<>(3);
        ch.send(1);
        ch.send(2);
        assertTrue(ch.trySend(3));
        assertFalse(ch.trySend(4));
        assertEquals(3, ch.len());
        assertEquals(1, ch.receive());
        assertEquals(2, ch.receive());
        assertEquals(3, ch.receive());
        assertNull(ch.tryReceive());
    }

    @Test
    void blockedSenderValueGoesToBufferTail() throws Exception {
        Chan<Integer> ch = new Chan<>(2);
        ch.send(1);
        ch.send(2);
        Thread t = threads.start(() -> ch.send(3));
        awaitState(t, Thread.State.WAITING);
        assertEquals(1, ch.receive());
        t.join();
        assertEquals(2, ch.receive());
        assertEquals(3, ch.receive());
    }

    @Test
    void closeWakesBlockedReceiverWithNotOk() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicReference<Received<Integer>> got = new AtomicReference<>();
        Thread t = threads.start(() -> got.set(ch.receiveOk()));
        awaitState(t, Thread.State.WAITING);
        ch.close();
        t.join();
        assertEquals(new Received<>(null, false), got.get());
    }

    @Test
    void closeMakesBlockedSenderThrow() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = threads.start(() -> {
            try {
                ch.send(1);
            } catch (Throwable e) {
                err.set(e);
            }
        });
        awaitState(t, Thread.State.WAITING);
        ch.close();
        t.join();
        assertTrue(err.get() instanceof IllegalStateException);
        assertEquals("send on closed channel", err.get().getMessage());
        assertEquals(new Received<>(null, false), ch.tryReceive());
    }

    @Test
    void drainAfterCloseAndRange() {
        Chan<Integer> ch = new Chan<>(4);
        for (int i = 0; i < 4; i++) {
            ch.send(i);
        }
        ch.close();
        List<Integer> got = new ArrayList<>();
        for (int v : ch) {
            got.add(v);
        }
        assertEquals(List.of(0, 1, 2, 3), got);
        assertNull(ch.receive());
        assertFalse(ch.receiveOk().ok());
        assertEquals(new Received<>(null, false), ch.tryReceive());
    }

    @Test
    void rangeWithProducer() throws Exception {
        Chan<Integer> ch = new Chan<>();
        Thread t = threads.start(() -> {
            for (int i = 0; i < 100; i++) {
                ch.send(i);
            }
            ch.close();
        });
        int sum = 0;
        for (int v : ch) {
            sum += v;
        }
        t.join();
        assertEquals(4950, sum);
    }

    @Test
    void timedFormsTimeOut() throws Exception {
        Chan<Integer> ch = new Chan<>();
        assertFalse(ch.trySend(1, Duration.ofMillis(10)));
        assertNull(ch.tryReceive(Duration.ofMillis(10)));
        Chan<Integer> b = new Chan<>(1);
        assertTrue(b.trySend(1, Duration.ofMillis(10)));
        assertEquals(new Received<>(1, true), b.tryReceive(Duration.ofMillis(10)));
    }

    @Test
    void interruptibleFormsThrow() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicInteger interrupted = new AtomicInteger();
        Thread r = threads.start(() -> {
            try {
                ch.receiveInterruptibly();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        Thread s = threads.start(() -> {
            try {
                ch.sendInterruptibly(1);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        // The two may meet; only interrupt while parked, and then both must report it or meet.
        r.join(200);
        s.join(200);
        r.interrupt();
        s.interrupt();
        r.join();
        s.join();
        assertTrue(interrupted.get() == 0 || interrupted.get() == 2);
        assertFalse(ch.trySend(2));
        assertNull(ch.tryReceive());
    }

    @Test
    void interruptedReceiverLeavesNoSlot() throws Exception {
        Chan<Integer> ch = new Chan<>();
        Thread r = threads.start(() -> {
            try {
                ch.receiveInterruptibly();
                fail("no value was sent");
            } catch (InterruptedException expected) {
            }
        });
        awaitState(r, Thread.State.WAITING);
        r.interrupt();
        r.join();
        assertFalse(ch.trySend(1));   // no receiver left
    }

    // An interrupted parked sender throws, and its value is neither delivered nor left queued,
    // on an unbuffered channel and on a full buffered one.
    @Test
    void interruptedSenderLeavesNoSlot() throws Exception {
        for (int cap : new int[] {0, 1}) {
            Chan<Integer> ch = new Chan<>(cap);
            if (cap == 1) {
                ch.send(1);
            }
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread s = threads.start(() -> {
                try {
                    ch.sendInterruptibly(2);
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            awaitState(s, Thread.State.WAITING);
            s.interrupt();
            s.join();
            assertInstanceOf(InterruptedException.class, outcome.get(), "cap " + cap);
            if (cap == 1) {
                assertEquals(new Received<>(1, true), ch.tryReceive());
            }
            assertNull(ch.tryReceive(), "cap " + cap + ": the interrupted send's value is there");
            assertEquals(0, ch.len());
        }
    }

    @Test
    void uninterruptibleSendReassertsInterrupt() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread s = threads.start(() -> {
            ch.send(5);
            flag.set(Thread.currentThread().isInterrupted());
        });
        awaitState(s, Thread.State.WAITING);
        s.interrupt();
        assertEquals(5, ch.receive());
        s.join();
        assertTrue(flag.get());
    }

    @Test
    void noLostOrDuplicatedValuesWithTimedRaces() throws Exception {
        for (int cap : new int[] {0, 1, 4}) {
            Chan<Integer> ch = new Chan<>(cap);
            int producers = 4;
            int per = 5_000;
            ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
            CountDownLatch produced = new CountDownLatch(producers);
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * per;
                ts.add(threads.start(() -> {
                    try {
                        for (int i = 0; i < per; i++) {
                            while (!ch.trySend(base + i, Duration.ofNanos(1_000 * (i % 5)))) {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    } finally {
                        produced.countDown();
                    }
                }));
            }
            Thread closer = threads.start(() -> {
                try {
                    produced.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                ch.close();
            });
            List<Thread> cs = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                cs.add(threads.start(() -> {
                    try {
                        int i = 0;
                        while (true) {
                            Received<Integer> r = ch.tryReceive(Duration.ofNanos(1_000 * (i++ % 4)));
                            if (r == null) {
                                continue;
                            }
                            if (!r.ok()) {
                                return;
                            }
                            got.add(r.value());
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            closer.join();
            for (Thread t : cs) {
                t.join();
            }
            int total = producers * per;
            assertEquals(total, got.size(), "cap " + cap);
            boolean[] seen = new boolean[total];
            for (int v : got) {
                assertFalse(seen[v], "duplicate " + v);
                seen[v] = true;
            }
        }
    }

    @Test
    void hundredThousandVirtualThreads() throws Exception {
        Assumptions.assumeTrue(Go.virtualThreads(), "needs JDK 21+");
        Chan<Integer> ch = new Chan<>();
        int n = 100_000;
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int v = i;
            Go.go(() -> {
                ch.send(v);
                done.countDown();
            });
        }
        long sum = 0;
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int v = ch.receive();
            assertFalse(seen[v]);
            seen[v] = true;
            sum += v;
        }
        done.await();
        assertEquals((long) n * (n - 1) / 2, sum);
        assertNull(ch.tryReceive());
    }

    @Test
    void toStringShowsState() {
        Chan<Integer> ch = new Chan<>(2);
        ch.send(1);
        ch.close();
        assertEquals("Chan[len=1, cap=2, closed=true]", ch.toString());
    }
}
