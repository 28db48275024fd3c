package dev.gosync.semaphore;

import static dev.gosync.OomVerdict.assertClean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Weighted acquire that throws OutOfMemoryError while it queues leaves no trace: each case
 * runs {@link RegistrationOomProbe} in a forked 32 MiB JVM that fills the heap before the call
 * (see {@link dev.gosync.OomProbe}).
 */
class RegistrationOomTest {

    // Weighted: no QUEUED flag over an empty queue (a later acquire would hang forever) and no
    // request left in the queue.
    @ParameterizedTest
    @ValueSource(strings = {"weighted-acquire", "weighted-uninterruptible", "weighted-timed"})
    void weightedLeavesNoQueuedFlag(String probeCase) throws Exception {
        assertClean(RegistrationOomProbe.class, probeCase);
    }
}
