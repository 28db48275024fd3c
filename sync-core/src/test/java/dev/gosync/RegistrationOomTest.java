package dev.gosync;

import static dev.gosync.OomVerdict.assertClean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A blocking call that throws OutOfMemoryError while it registers to wait leaves no trace:
 * each case runs {@link RegistrationOomProbe} in a forked 32 MiB JVM that fills the heap
 * before the call (see {@link OomProbe}); Weighted's cases are in the semaphore package.
 */
class RegistrationOomTest {

    // Mutex: a lock() that fails at a full heap leaves no ghost waiter behind.
    @ParameterizedTest
    @ValueSource(strings = {"mutex-lock", "mutex-tryLock"})
    void mutexLeavesNoGhostWaiter(String probeCase) throws Exception {
        assertClean(RegistrationOomProbe.class, probeCase);
    }

    // RWMutex: no phantom reader (a later writer deadlocks) and no stranded pending or active
    // writer, whichever registration the failing call had reached.
    @ParameterizedTest
    @ValueSource(strings = {"rwmutex-reader", "rwmutex-first-reader", "rwmutex-writer",
            "rwmutex-writer-timed", "rwmutex-writer-bias", "rwmutex-writer-bias-timed"})
    void rwMutexLeavesNoPhantomReaderOrWriter(String probeCase) throws Exception {
        assertClean(RegistrationOomProbe.class, probeCase);
    }

    // WaitGroup: no stray waiter, so no stray permit makes the next round's await throw the
    // false "WaitGroup is reused before previous Wait has returned".
    @ParameterizedTest
    @ValueSource(strings = {"waitgroup-await", "waitgroup-timed"})
    void waitGroupLeavesNoStrayPermit(String probeCase) throws Exception {
        assertClean(RegistrationOomProbe.class, probeCase);
    }
}
