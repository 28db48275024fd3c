package dev.gosync.chan;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock-free slot of an unbuffered channel (see Chan's implementation notes): a lone
 * waiter waits there, and whatever takes the lock first moves it to the head of its queue, so
 * that FIFO order, close, Select and give-ups see it exactly as a queued waiter.
 */
class ChanSlotTest {
    @RegisterExtension
    final StartedThreads threads = new StartedThreads();

    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }

    // The first receiver waits in the slot; the second takes the lock, which must queue the
    // first ahead of it: values arrive in the receivers' order.
    @Test
    void aSecondWaiterQueuesBehindTheOneInTheSlot() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Thread r1 = threads.start(() -> first.set(ch.receive()));
        awaitParked(r1);
        assertTrue(ch.slotOpen(), "a lone receiver waits in the slot");
        Thread r2 = threads.start(() -> second.set(ch.receive()));
        awaitParked(r2);
        assertArrayEquals(new int[] {2, 0}, ch.waiting());
        assertFalse(ch.slotOpen(), "queued waiters keep the slot sealed");
        ch.send(1);
        ch.send(2);
        r1.join();
        r2.join();
        assertEquals(1, first.get());
        assertEquals(2, second.get());
        assertArrayEquals(new int[] {0, 0}, ch.waiting());
        assertTrue(ch.slotOpen(), "reopened once both queues drained");
    }

    @Test
    void aWaiterThatGivesUpLeavesTheSlotEmptyAndOpen() throws Exception {
        Chan<Integer> ch = new Chan<>();
        assertNull(ch.tryReceive(Duration.ofMillis(20)));
        assertFalse(ch.trySend(1, Duration.ofMillis(20)));
        assertTrue(ch.slotOpen());
        assertArrayEquals(new int[] {0, 0}, ch.waiting());
        assertFalse(ch.trySend(1), "no receiver is left behind");
        assertNull(ch.tryReceive(), "no sender is left behind");
    }

    @Test
    void aSenderInTheSlotIsFoundByASelect() throws Exception {
        Chan<Integer> ch = new Chan<>();
        Chan<Integer> other = new Chan<>();
        Thread s = threads.start(() -> ch.send(4));
        awaitParked(s);
        Select sel = new Select().receive(other).receive(ch);
        assertEquals(1, sel.select());
        assertEquals(Integer.valueOf(4), sel.value());
        s.join();
        assertTrue(ch.slotOpen());
    }

    @Test
    void closeSealsTheSlotForGood() throws Exception {
        Chan<Integer> ch = new Chan<>();
        AtomicReference<Throwable> sent = new AtomicReference<>();
        Thread s = threads.start(() -> {
            try {
                ch.send(1);
            } catch (Throwable t) {
                sent.set(t);
            }
        });
        awaitParked(s);
        ch.close();
        s.join();
        assertEquals("send on closed channel", sent.get().getMessage());
        assertFalse(ch.slotOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ch.trySend(2));
        assertEquals("send on closed channel", e.getMessage());
        assertEquals(new Received<>(null, false), ch.tryReceive());
    }

    // A receiver waits in the slot while a sender (claiming it without the lock) races close
    // (sealing it): exactly one wins. A send that returned delivered its value; one that threw
    // delivered nothing, and the receiver saw the close. And once close has returned, a send
    // that starts then throws, even if the receiver is still in the slot.
    @Test
    void closeRacingAClaimFromTheSlot() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            Chan<Integer> ch = new Chan<>();
            AtomicReference<Received<Integer>> got = new AtomicReference<>();
            Thread r = threads.start(() -> got.set(ch.receiveOk()));
            awaitParked(r);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger closedBeforeSend = new AtomicInteger();
            AtomicReference<String> sendOutcome = new AtomicReference<>();
            Thread closer = threads.start(() -> {
                await(go);
                ch.close();
                closedBeforeSend.set(1);
            });
            Thread sender = threads.start(() -> {
                await(go);
                boolean afterClose = closedBeforeSend.get() == 1;
                try {
                    ch.send(7);
                    sendOutcome.set(afterClose ? "sent after close returned" : "sent");
                } catch (IllegalStateException e) {
                    sendOutcome.set(e.getMessage());
                }
            });
            go.countDown();
            closer.join();
            sender.join();
            r.join();
            String outcome = sendOutcome.get();
            if (outcome.equals("sent")) {
                assertEquals(new Received<>(7, true), got.get(), "round " + round);
            } else {
                assertEquals("send on closed channel", outcome, "round " + round);
                assertEquals(new Received<>(null, false), got.get(), "round " + round);
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
