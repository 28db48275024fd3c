package dev.gosync.errgroup;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misuse of {@link Group}: each message, then "still usable". */
class GroupMisuseTest {

    // Go panics with this text; we throw it and keep the old limit.
    @Test
    void setLimitWhileTasksAreActiveThrowsAndChangesNothing() throws Exception {
        Group g = new Group();
        g.setLimit(2);
        CountDownLatch release = new CountDownLatch(1);
        g.go(release::await);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.setLimit(5));
        assertEquals("errgroup: modify limit while 1 goroutines in the group are still active",
                e.getMessage());
        assertTrue(g.tryGo(release::await), "the old limit of 2 still holds");
        assertFalse(g.tryGo(release::await));
        release.countDown();
        g.await();
        g.setLimit(5);   // fine once idle
    }

    // Stricter than Go: also checked when no limit was set before.
    @Test
    void setLimitWhileActiveWithoutEarlierLimitThrows() throws Exception {
        Group g = new Group();
        CountDownLatch release = new CountDownLatch(1);
        g.go(release::await);
        assertThrows(IllegalStateException.class, () -> g.setLimit(1));
        release.countDown();
        g.await();
    }

    // Null tasks are rejected by name, and nothing is counted.
    @Test
    void nullTaskIsRejected() throws Exception {
        Group g = new Group();
        assertEquals("task", assertThrows(NullPointerException.class, () -> g.go(null))
                .getMessage());
        assertThrows(NullPointerException.class, () -> g.tryGo(null));
        assertThrows(NullPointerException.class, () -> g.goInterruptibly(null));
        g.await();
        g.setLimit(1);   // no phantom active task
    }
}
