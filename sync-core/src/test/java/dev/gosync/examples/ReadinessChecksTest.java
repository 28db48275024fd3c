package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessChecksTest {

    // A check is stuck (a slow network call). Meanwhile a writer registers a new check and
    // another prober runs the list: both finish, because no lock is held while a check runs.
    // Had runAll() held rLock across the checks, register() would block until the stuck check
    // returned, and the second probe would queue behind the waiting writer.
    @Test
    void slowCheckBlocksNeitherRegistrationNorOtherProbes() throws Exception {
        ReadinessChecks checks = new ReadinessChecks();
        CountDownLatch slowCheckEntered = new CountDownLatch(1);
        CountDownLatch releaseSlowCheck = new CountDownLatch(1);
        checks.register("topology", () -> {
            if (slowCheckEntered.getCount() > 0) {   // only the first probe is slow
                slowCheckEntered.countDown();
                if (!releaseSlowCheck.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        });
        AtomicReference<List<ReadinessChecks.Result>> slowProbe = new AtomicReference<>();
        Thread prober = new Thread(() -> slowProbe.set(checks.runAll()));
        prober.setDaemon(true);
        prober.start();
        assertTrue(slowCheckEntered.await(30, TimeUnit.SECONDS));

        // The first probe is inside its check now. Register and probe from other threads;
        // Concurrently.run fails (instead of hanging) if they do not finish in time.
        Concurrently.run(
                w -> checks.register("schema", () -> { }),
                r -> {
                    int n = checks.runAll().size();   // before or after "schema" was added
                    assertTrue(n == 1 || n == 2, "saw " + n + " checks");
                });
        assertEquals(2, checks.size());

        releaseSlowCheck.countDown();
        prober.join(30_000);
        assertFalse(prober.isAlive());
        assertEquals(1, slowProbe.get().size(), "the slow probe ran the list it copied");
        assertEquals(2, checks.runAll().size(), "the next probe runs the new check");
    }

    // Failures are reported per check, and ready() is their conjunction.
    @Test
    void failingCheckMakesTheServiceUnready() {
        ReadinessChecks checks = new ReadinessChecks();
        assertTrue(checks.ready(), "no checks: ready");
        checks.register("ok", () -> { });
        checks.register("lag", () -> {
            throw new IllegalStateException("replication lag 42s");
        });
        List<ReadinessChecks.Result> results = checks.runAll();
        assertEquals(List.of(new ReadinessChecks.Result("ok", null),
                new ReadinessChecks.Result("lag", "replication lag 42s")), results);
        assertFalse(checks.ready());
    }

    // Probers and registrars at once: every probe sees a prefix of the registrations, in order.
    @Test
    void probesSeeARegistrationPrefixWhileChecksAreAdded() throws InterruptedException {
        ReadinessChecks checks = new ReadinessChecks();
        int registrations = 2_000;
        Concurrently.run(
                w -> {
                    for (int i = 0; i < registrations; i++) {
                        checks.register("c" + i, () -> { });
                    }
                },
                r -> probeLoop(checks, registrations),
                r -> probeLoop(checks, registrations));
        assertEquals(registrations, checks.runAll().size());
    }

    private static void probeLoop(ReadinessChecks checks, int registrations) {
        int seen = 0;
        while (seen < registrations) {
            List<ReadinessChecks.Result> results = checks.runAll();
            assertTrue(results.size() >= seen, "a probe saw fewer checks than an earlier one");
            for (int i = 0; i < results.size(); i++) {
                assertEquals("c" + i, results.get(i).name());
                assertTrue(results.get(i).ok());
            }
            seen = results.size();
        }
    }
}
