package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.Cond;
import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.atomic.AtomicInt32;
import dev.gosync.examples.RegistrationPublisher.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RegistrationPublisherTest {
    private static final Registration INITIAL = new Registration("10.0.0.1:15991", Map.of());
    private static final Duration NEVER = Duration.ofHours(1);

    /**
     * A registry that records what it was given, and by which thread. Tests wait for a
     * publication on a Cond (no polling, no sleeps); {@code gate} can hold publish() inside.
     */
    @SuppressWarnings("try")
    static final class FakeRegistry implements RegistrationPublisher.Registry {
        private final Mutex mu = new Mutex();
        private final Cond changed = new Cond(mu);
        private final List<Registration> published = new ArrayList<>();   // guarded by mu
        final Set<Thread> publishers = ConcurrentHashMap.newKeySet();
        final CountDownLatch entered = new CountDownLatch(1);   // a publish() has begun
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void publish(Registration r) throws Exception {
            publishers.add(Thread.currentThread());
            entered.countDown();
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publish never released");
            }
            try (Locker.Held held = mu.locked()) {
                published.add(r);
                changed.broadcast();
            }
        }

        List<Registration> published() {
            try (Locker.Held held = mu.locked()) {
                return List.copyOf(published);
            }
        }

        void awaitPublished(Predicate<Registration> p) throws InterruptedException {
            long nanos = TimeUnit.SECONDS.toNanos(30);
            try (Locker.Held held = mu.locked()) {
                while (published.stream().noneMatch(p)) {
                    nanos = changed.awaitNanos(nanos);
                    assertTrue(nanos > 0, "never published");
                }
            }
        }
    }

    // Many threads call register() at once: one publisher loop starts, it publishes the
    // initial entry once, and shutdown() stops it.
    @Test
    void concurrentRegisterStartsOneLoop() throws InterruptedException {
        FakeRegistry registry = new FakeRegistry();
        RegistrationPublisher publisher = new RegistrationPublisher(registry, INITIAL, NEVER);
        Concurrently.run(8, t -> publisher.register());
        registry.awaitPublished(r -> r == INITIAL);
        publisher.shutdown();
        assertEquals(List.of(INITIAL), registry.published());
        assertEquals(1, registry.publishers.size(), "more than one publisher loop ran");
    }

    // The publisher is held inside its first publish while 100 mutations arrive, each offering
    // a wake-up. The wake-ups coalesce into one: after the first publish returns, the loop
    // makes exactly one more pass and publishes once more, the latest entry, which carries all
    // 100 changes. (With an unbounded queue it would make 100 more passes.)
    @Test
    void duplicateWakeUpsCoalesce() throws InterruptedException {
        FakeRegistry registry = new FakeRegistry();
        CountDownLatch releaseFirstPublish = new CountDownLatch(1);
        registry.gate = releaseFirstPublish;
        RegistrationPublisher publisher = new RegistrationPublisher(registry, INITIAL, NEVER);
        publisher.register();
        assertTrue(registry.entered.await(30, TimeUnit.SECONDS));   // inside publish(INITIAL)
        for (int i = 0; i < 100; i++) {
            String key = "tag" + i;
            publisher.mutate(r -> r.withTag(key, "x"));
        }
        Registration last = publisher.desired();
        registry.gate = new CountDownLatch(0);
        releaseFirstPublish.countDown();
        registry.awaitPublished(r -> r == last);
        publisher.shutdown();
        assertEquals(2, publisher.passes(), "wake-ups were not coalesced");
        List<Registration> published = registry.published();
        assertEquals(2, published.size(), "published " + published.size() + " times");
        assertSame(INITIAL, published.get(0));
        assertSame(last, published.get(1));
        assertEquals(100, last.tags().size());
    }

    // Many threads mutate at once: no update is lost (the CAS retries), and the publisher ends
    // up publishing the entry that carries all of them.
    @Test
    void concurrentMutationsAreNotLost() throws InterruptedException {
        FakeRegistry registry = new FakeRegistry();
        RegistrationPublisher publisher = new RegistrationPublisher(registry, INITIAL, NEVER);
        publisher.register();
        int threads = 6;
        int perThread = 200;
        Concurrently.run(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                String key = "t" + t + "-" + i;
                publisher.mutate(r -> r.withTag(key, "v"));
            }
        });
        assertEquals(threads * perThread, publisher.desired().tags().size());
        registry.awaitPublished(r -> r.tags().size() == threads * perThread);
        publisher.shutdown();
        assertTrue(registry.published().size() <= threads * perThread + 1);
    }

    // shutdown() cancels, then waits: it does not return while a publish is in progress, and
    // once it has returned nothing is published any more, not even after register().
    @Test
    void shutdownCancelsThenAwaitsTheLoop() throws InterruptedException {
        FakeRegistry registry = new FakeRegistry();
        CountDownLatch releasePublish = new CountDownLatch(1);
        registry.gate = releasePublish;
        RegistrationPublisher publisher = new RegistrationPublisher(registry, INITIAL, NEVER);
        publisher.register();
        assertTrue(registry.entered.await(30, TimeUnit.SECONDS));
        CountDownLatch shutdownReturned = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            try {
                publisher.shutdown();
                shutdownReturned.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        // A correct shutdown() cannot return while the publish is held; a broken one that did
        // not wait would return within this grace period.
        assertFalse(shutdownReturned.await(100, TimeUnit.MILLISECONDS));
        releasePublish.countDown();
        assertTrue(shutdownReturned.await(30, TimeUnit.SECONDS));
        int publishes = registry.published().size();
        publisher.mutate(r -> r.withTag("after", "shutdown"));
        publisher.register();
        publisher.shutdown();   // idempotent
        assertEquals(publishes, registry.published().size(), "published after shutdown");
    }

    // A failed publish is retried after the retry interval until it succeeds.
    @Test
    void failedPublishIsRetried() throws InterruptedException {
        AtomicInt32 attempts = new AtomicInt32();
        CountDownLatch succeeded = new CountDownLatch(1);
        RegistrationPublisher publisher = new RegistrationPublisher(r -> {
            if (attempts.add(1) < 3) {
                throw new IllegalStateException("registry unavailable");
            }
            succeeded.countDown();
        }, INITIAL, Duration.ofMillis(1));
        publisher.register();
        assertTrue(succeeded.await(30, TimeUnit.SECONDS));
        publisher.shutdown();
        assertEquals(2, publisher.publishFailures());
    }

    // shutdown() before register(): nothing to cancel, returns at once; register() then does
    // nothing.
    @Test
    void shutdownBeforeRegister() throws InterruptedException {
        FakeRegistry registry = new FakeRegistry();
        RegistrationPublisher publisher = new RegistrationPublisher(registry, INITIAL, NEVER);
        publisher.shutdown();
        publisher.register();
        publisher.shutdown();
        assertTrue(registry.published().isEmpty());
    }
}
