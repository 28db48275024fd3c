package dev.gosync.chan;

import static org.junit.jupiter.api.Assertions.*;

import dev.gosync.Go;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SelectTest {
    @RegisterExtension
    final StartedThreads threads = new StartedThreads();

    /** Waits until {@code n} receivers ({@code send == false}) or senders are parked on ch. */
    private static void awaitParked(Chan<?> ch, boolean send, int n) {
        while (ch.waiting()[send ? 1 : 0] != n) {
            Thread.onSpinWait();
        }
    }

    private static void assertNoneParked(Chan<?>... chans) {
        for (Chan<?> c : chans) {
            assertArrayEquals(new int[] {0, 0}, c.waiting(), "places left linked on " + c);
        }
    }

    @Test
    void theReadyCaseIsChosen() {
        Chan<String> a = new Chan<>(1);
        Chan<String> b = new Chan<>(1);
        b.send("b");
        Select s = new Select().receive(a).receive(b);
        assertEquals(1, s.select());
        assertEquals("b", s.value());
        assertTrue(s.ok());
        assertEquals(0, b.len());
    }

    @Test
    void uniformlyRandomAmongReadyCases() {
        // Go's rule. Three always-ready cases, 30,000 runs: each count is Binomial(30000, 1/3),
        // standard deviation 81.6; 6 sigma (490) bounds a correct run, while "the first ready
        // case" or any fixed preference fails at once. A chi-square check over the three.
        Chan<Integer> a = new Chan<>(1);
        Chan<Integer> b = new Chan<>(1);
        Chan<Integer> c = new Chan<>(1);
        Select s = new Select().receive(a).receive(b).receive(c);
        int[] counts = new int[3];
        int runs = 30_000;
        for (int i = 0; i < runs; i++) {
            a.trySend(0);
            b.trySend(1);
            c.trySend(2);
            int k = s.select();
            assertEquals(k, (int) s.value());
            counts[k]++;
        }
        double chi2 = 0;
        for (int k = 0; k < 3; k++) {
            assertTrue(Math.abs(counts[k] - runs / 3) < 490, () -> "counts " + List.of(counts[0], counts[1], counts[2]));
            double d = counts[k] - runs / 3.0;
            chi2 += d * d / (runs / 3.0);
        }
        assertTrue(chi2 < 20.0, "chi-square " + chi2 + " (2 dof; p < 5e-5 above 20)");
    }

    @Test
    void uniformAcrossSendAndReceiveCases() {
        Chan<Integer> in = new Chan<>(1);
        Chan<Integer> out = new Chan<>(1);
        Select s = new Select().receive(in).send(out, 9);
        int[] counts = new int[2];
        int runs = 20_000;
        for (int i = 0; i < runs; i++) {
            in.trySend(1);
            out.tryReceive();       // room to send
            counts[s.select()]++;
        }
        // Binomial(20000, 1/2): sd 70.7, 6 sigma 424.
        assertTrue(Math.abs(counts[0] - runs / 2) < 424, () -> counts[0] + " vs " + counts[1]);
    }

    @Test
    void defaultWhenNothingIsReadyAndOnlyThen() {
        Chan<Integer> a = new Chan<>();
        AtomicInteger idle = new AtomicInteger();
        Select s = new Select().receive(a).orElse(idle::incrementAndGet);
        assertEquals(Select.DEFAULT, s.select());
        assertEquals(1, idle.get());
        assertNoneParked(a);
        Chan<Integer> b = new Chan<>(1);
        b.send(5);
        assertEquals(0, new Select().receive(b).orElse().select());
    }

    @Test
    void timeoutWhenNothingBecomesReady() throws Exception {
        Chan<Integer> a = new Chan<>();
        AtomicInteger ticks = new AtomicInteger();
        Select s = new Select().receive(a).timeout(Duration.ofMillis(20), ticks::incrementAndGet);
        assertEquals(Select.TIMEOUT, s.select());
        assertEquals(Select.TIMEOUT, s.selectInterruptibly());   // the timeout restarts per run
        assertEquals(2, ticks.get());
        assertNoneParked(a);
        assertEquals(Select.TIMEOUT, new Select().timeout(Duration.ZERO).select());
        assertEquals(Select.TIMEOUT, new Select().receive(a).timeout(Duration.ofNanos(-1)).select());
    }

    @Test
    void aValueArrivingBeforeTheTimeoutWins() throws Exception {
        Chan<Integer> a = new Chan<>();
        Select s = new Select().receive(a).timeout(Duration.ofMinutes(5));
        AtomicInteger chosen = new AtomicInteger(99);
        Thread t = threads.start(() -> chosen.set(s.select()));
        awaitParked(a, false, 1);
        a.send(3);
        t.join();
        assertEquals(0, chosen.get());
        assertEquals(3, (int) s.value());
        assertNoneParked(a);
    }

    @Test
    void aClosedChannelsReceiveCaseIsReady() {
        Chan<String> open = new Chan<>();
        Chan<String> closed = new Chan<>();
        closed.close();
        AtomicReference<Received<String>> got = new AtomicReference<>();
        Select s = new Select().receive(open).receiveOk(closed, got::set);
        assertEquals(1, s.select());
        assertFalse(s.ok());
        assertNull(s.value());
        assertEquals(new Received<String>(null, false), got.get());
        assertNoneParked(open);
    }

    @Test
    void closeWakesABlockedSelect() throws Exception {
        Chan<String> a = new Chan<>();
        Chan<String> b = new Chan<>();
        Select s = new Select().receive(a).receive(b);
        AtomicInteger chosen = new AtomicInteger(99);
        Thread t = threads.start(() -> chosen.set(s.select()));
        awaitParked(a, false, 1);
        awaitParked(b, false, 1);
        b.close();
        t.join();
        assertEquals(1, chosen.get());
        assertFalse(s.ok());
        assertNoneParked(a, b);
    }

    @Test
    void aSendCaseOnAClosedChannelThrowsWhenChosen() throws Exception {
        Chan<String> c = new Chan<>(1);
        c.close();
        Select s = new Select().send(c, "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, s::select);
        assertEquals("send on closed channel", e.getMessage());

        Chan<String> d = new Chan<>();
        Chan<String> never = new Chan<>();
        Select blocked = new Select().receive(never).send(d, "y");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = threads.start(() -> {
            try {
                blocked.select();
            } catch (IllegalStateException x) {
                failure.set(x);
            }
        });
        awaitParked(d, true, 1);
        d.close();
        t.join();
        assertEquals("send on closed channel", failure.get().getMessage());
        assertNoneParked(never, d);
    }

    @Test
    void aNullChannelDisablesItsCase() {
        Chan<Integer> ready = new Chan<>(1);
        ready.send(1);
        Select s = new Select().receive(null).send(null, 5).receive(ready);
        assertEquals(2, s.select());
        assertEquals(Select.TIMEOUT,
                new Select().receive(null).timeout(Duration.ofMillis(5)).select());
        assertEquals(Select.DEFAULT, new Select().send(null, 1).orElse().select());
    }

    @Test
    void withNothingEnabledItBlocksUntilInterrupted() throws Exception {
        Select s = new Select().receive(null);
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread t = threads.start(() -> {
            try {
                s.selectInterruptibly();
            } catch (InterruptedException e) {
                got.set(e);
            }
        });
        while (t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        t.interrupt();
        t.join();
        assertInstanceOf(InterruptedException.class, got.get());
    }

    @Test
    void aBlockedSelectIsWonByExactlyOneSender() throws Exception {
        // Two senders race for one blocked select; one is taken, the other stays parked until
        // a plain receive takes it: no value is lost or received twice.
        for (int round = 0; round < 200; round++) {
            Chan<Integer> a = new Chan<>();
            Chan<Integer> b = new Chan<>();
            Select s = new Select().receive(a).receive(b);
            AtomicInteger chosen = new AtomicInteger(99);
            Thread sel = threads.start(() -> chosen.set(s.select()));
            awaitParked(a, false, 1);
            awaitParked(b, false, 1);
            Thread ta = threads.start(() -> a.send(10));
            Thread tb = threads.start(() -> b.send(20));
            sel.join();
            int k = chosen.get();
            assertEquals(k == 0 ? 10 : 20, (int) s.value());
            Chan<Integer> other = k == 0 ? b : a;
            assertEquals(k == 0 ? 20 : 10, other.receive());
            ta.join();
            tb.join();
            assertNoneParked(a, b);
        }
    }

    @Test
    void selectsOnBothSidesPairUpExactly() throws Exception {
        // A: select { a <- i ; v := <-b }   B: select { v := <-a ; b <- j }: every round pairs
        // exactly one operation, from whichever side parked first, and both agree on which.
        Chan<Integer> a = new Chan<>();
        Chan<Integer> b = new Chan<>();
        int rounds = 20_000;
        int[] byA = new int[rounds];
        int[] byB = new int[rounds];
        Thread ta = threads.start(() -> {
            for (int i = 0; i < rounds; i++) {
                byA[i] = new Select().send(a, i).receive(b).select();
            }
        });
        Thread tb = threads.start(() -> {
            for (int i = 0; i < rounds; i++) {
                Select s = new Select().receive(a).send(b, -i);
                byB[i] = s.select();
                if (byB[i] == 0) {
                    assertEquals(i, (int) s.value());
                }
            }
        });
        ta.join();
        tb.join();
        int viaA = 0;
        for (int i = 0; i < rounds; i++) {
            assertEquals(byA[i], byB[i], "round " + i);
            viaA += byA[i] == 0 ? 1 : 0;
        }
        assertTrue(viaA > 0 && viaA < rounds, "both pairings occur: " + viaA);
        assertNoneParked(a, b);
    }

    @Test
    void noValueLostOrDuplicatedUnderTimeoutsAndInterrupts() throws Exception {
        // Producers send 0..n-1 split over two channels with timed sends; consumers select
        // over both with short timeouts, and are interrupted at random: the union of what they
        // received is exactly the set sent.
        for (int cap : new int[] {0, 1, 4}) {
            Chan<Integer> a = new Chan<>(cap);
            Chan<Integer> b = new Chan<>(cap);
            int n = 20_000;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger received = new AtomicInteger();
            BitSet seen = new BitSet(n);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Chan<Integer> ch = p == 0 ? a : b;
                producers.add(threads.start(() -> {
                    int v;
                    while ((v = next.getAndIncrement()) < n) {
                        try {
                            while (!ch.trySend(v, Duration.ofMillis(1))) {
                                Thread.onSpinWait();
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            List<Thread> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(threads.start(() -> {
                    Select s = new Select().receive(a).receive(b).timeout(Duration.ofMillis(1));
                    while (received.get() < n) {
                        int k;
                        try {
                            k = s.selectInterruptibly();
                        } catch (InterruptedException e) {
                            continue;
                        }
                        if (k >= 0) {
                            int v = s.value();
                            synchronized (seen) {
                                assertFalse(seen.get(v), "received twice: " + v);
                                seen.set(v);
                            }
                            received.incrementAndGet();
                        }
                    }
                }));
            }
            Thread interrupter = threads.start(() -> {
                while (received.get() < n) {
                    consumers.get(received.get() % 3).interrupt();
                    Thread.yield();
                }
            });
            for (Thread t : producers) {
                t.join();
            }
            for (Thread t : consumers) {
                t.join();
            }
            interrupter.join();
            assertEquals(n, seen.cardinality(), "capacity " + cap);
            assertEquals(0, a.len() + b.len());
            assertNoneParked(a, b);
        }
    }

    @Test
    void anInterruptedSelectLeavesNoPlaceBehind() throws Exception {
        Chan<Integer> a = new Chan<>();
        Chan<Integer> b = new Chan<>(1);
        b.send(0);                                   // full: the send case must wait
        Select s = new Select().receive(a).send(b, 1);
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread t = threads.start(() -> {
            try {
                s.selectInterruptibly();
            } catch (InterruptedException e) {
                got.set(e);
            }
        });
        awaitParked(a, false, 1);
        awaitParked(b, true, 1);
        t.interrupt();
        t.join();
        assertInstanceOf(InterruptedException.class, got.get());
        assertNoneParked(a, b);
        assertEquals(0, b.receive());
        assertNull(b.tryReceive(), "the interrupted send case sent nothing");
    }

    @Test
    void anUninterruptibleSelectKeepsWaitingAndReassertsTheInterrupt() throws Exception {
        Chan<Integer> a = new Chan<>();
        Select s = new Select().receive(a).timeout(Duration.ofMinutes(5));
        AtomicInteger chosen = new AtomicInteger(99);
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = threads.start(() -> {
            chosen.set(s.select());
            flag.set(Thread.currentThread().isInterrupted());
        });
        awaitParked(a, false, 1);
        t.interrupt();
        awaitParked(a, false, 1);                    // parked again after the interrupt
        a.send(4);
        t.join();
        assertEquals(0, chosen.get());
        assertEquals(4, (int) s.value());
        assertTrue(flag.get(), "interrupt re-asserted");
        assertNoneParked(a);
    }

    @Test
    void handlersRunForTheChosenCaseOnly() {
        Chan<String> in = new Chan<>(1);
        Chan<String> out = new Chan<>(1);
        List<String> log = new ArrayList<>();
        in.send("hello");
        out.send("full");
        Select s = new Select()
                .receive(in, v -> log.add("got " + v))
                .send(out, "x", () -> log.add("sent"))
                .orElse(() -> log.add("default"));
        assertEquals(0, s.select());
        assertEquals(List.of("got hello"), log);
        out.receive();
        assertEquals(1, s.select());
        assertEquals(List.of("got hello", "sent"), log);
        assertEquals("x", out.receive());
        out.send("full again");
        assertEquals(Select.DEFAULT, s.select());
        assertEquals(List.of("got hello", "sent", "default"), log);
    }

    @Test
    void aSendCaseHandsItsValueToAParkedReceiver() throws Exception {
        Chan<Integer> c = new Chan<>();
        AtomicInteger got = new AtomicInteger();
        Thread r = threads.start(() -> got.set(c.receive()));
        awaitParked(c, false, 1);
        assertEquals(0, new Select().send(c, 42).select());
        r.join();
        assertEquals(42, got.get());
    }

    @Test
    void theSameChannelInTwoCases() throws Exception {
        Chan<Integer> c = new Chan<>();
        Select s = new Select().receive(c).receive(c);
        AtomicInteger chosen = new AtomicInteger(99);
        Thread t = threads.start(() -> chosen.set(s.select()));
        awaitParked(c, false, 2);
        c.send(1);
        t.join();
        assertTrue(chosen.get() == 0 || chosen.get() == 1);
        assertNoneParked(c);
    }

    @Test
    void tenThousandVirtualThreadsSelecting() throws Exception {
        Assumptions.assumeTrue(Go.virtualThreads(), "needs JDK 21+");
        Chan<Integer> a = new Chan<>();
        Chan<Integer> b = new Chan<>(8);
        int n = 10_000;
        AtomicInteger sum = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                Select s = new Select().receive(a).receive(b);
                s.select();
                sum.addAndGet(s.value());
                done.countDown();
            });
        }
        for (int i = 0; i < n; i++) {
            (i % 2 == 0 ? a : b).send(i);
        }
        done.await();
        assertEquals(n * (n - 1L) / 2, sum.get());
        assertNoneParked(a, b);
        assertEquals(0, b.len());
    }
}
