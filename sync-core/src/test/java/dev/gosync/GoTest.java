package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GoTest {
    private static final long WAIT_S = 60;

    private static boolean isVirtual(Thread t) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (NoSuchMethodException e) {
            return false;                                   // JDK 17: no virtual threads
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // Java 21+ gets virtual threads, 17 daemon platform threads; virtualThreads() says which.
    @Test
    void startsVirtualThreadsExactlyWhenTheJdkHasThem() throws InterruptedException {
        boolean jdkHasThem = Runtime.version().feature() >= 21;
        assertEquals(jdkHasThem, Go.virtualThreads());
        CountDownLatch ran = new CountDownLatch(1);
        Thread t = Go.go(ran::countDown);
        assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(jdkHasThem, isVirtual(t));
        assertTrue(t.isDaemon(), "a goroutine must not keep the JVM alive");
    }

    // A thread dump shows where the thread came from: every thread is named gosync-go, and the
    // thread id (printed beside the name in every dump) tells them apart.
    @Test
    void threadsAreNamedForGosync() throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread a = Go.go(() -> seen.set(Thread.currentThread().getName()));
        Thread b = Go.go(() -> { });
        a.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        b.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertEquals("gosync-go", seen.get());
        assertEquals("gosync-go", b.getName());
        assertNotEquals(a.getId(), b.getId());
    }

    // The JDK 17 fallback, exercised on any JDK: daemon platform threads named gosync-go.
    @Test
    void platformFallbackMakesNamedDaemonThreads() throws InterruptedException {
        ThreadFactory f = Go.platformFactory();
        CountDownLatch ran = new CountDownLatch(2);
        Thread a = f.newThread(ran::countDown);
        Thread b = f.newThread(ran::countDown);
        assertEquals("gosync-go", a.getName());
        assertEquals("gosync-go", b.getName());
        assertNotEquals(a.getId(), b.getId());
        assertTrue(a.isDaemon() && b.isDaemon());
        assertFalse(isVirtual(a));
        a.start();
        b.start();
        assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
    }

    // The JDK's own dump tool shows a parked goroutine as gosync's, with its id: on 21+
    // "jcmd <pid> Thread.dump_to_file" (the dump that lists virtual threads; jstack does not),
    // on 17 "jcmd <pid> Thread.print" (jstack's format).
    @Test
    void threadDumpShowsTheThreadAsGosyncs() throws Exception {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        assumeTrue(Files.isExecutable(jcmd), "this runtime has no jcmd");
        // -Djdk.trackAllThreads=false makes the JDK leave parked virtual threads out of the dump
        String track = System.getProperty("jdk.trackAllThreads");
        assumeTrue(track == null || track.isEmpty() || Boolean.parseBoolean(track),
                "the JDK does not list untracked virtual threads");
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Go.go(() -> {
            parked.countDown();
            try {
                release.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Path dir = Files.createTempDirectory("gosync-dump");
        Path dump = dir.resolve("dump.txt");
        Path out = dir.resolve("jcmd.out");
        try {
            assertTrue(parked.await(WAIT_S, TimeUnit.SECONDS));
            String pid = Long.toString(ProcessHandle.current().pid());
            List<String> cmd = Go.virtualThreads()
                    ? List.of(jcmd.toString(), pid, "Thread.dump_to_file", dump.toString())
                    : List.of(jcmd.toString(), pid, "Thread.print");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(WAIT_S, TimeUnit.SECONDS), "jcmd did not finish");
            String jcmdOut = Files.readString(out);
            assertEquals(0, p.exitValue(), jcmdOut);
            String text = Go.virtualThreads() ? Files.readString(dump) : jcmdOut;
            String line = Go.virtualThreads()
                    ? "#" + t.getId() + " \"gosync-go\" virtual"    // 21+: #id "name" virtual
                    : "\"gosync-go\" #" + t.getId() + " daemon";    // 17: "name" #id daemon
            assertTrue(text.contains(line), () -> "no '" + line + "' in:\n" + text);
        } finally {
            release.countDown();
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            Files.deleteIfExists(dump);
            Files.deleteIfExists(out);
            Files.deleteIfExists(dir);
        }
    }

    // Every call starts a new thread: 1,000 tasks, each waiting for the task started after it,
    // finish. A bounded pool of fewer than 1,000 workers would deadlock here.
    @Test
    void tasksWaitingForLaterTasksDoNotDeadlock() throws InterruptedException {
        int n = 1_000;
        CountDownLatch[] finished = new CountDownLatch[n + 1];
        for (int i = 0; i <= n; i++) {
            finished[i] = new CountDownLatch(1);
        }
        finished[n].countDown();
        for (int i = 0; i < n; i++) {
            int me = i;
            Go.go(() -> {
                try {
                    if (finished[me + 1].await(WAIT_S, TimeUnit.SECONDS)) {
                        finished[me].countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(finished[0].await(WAIT_S, TimeUnit.SECONDS), "chain of waiting tasks stalled");
    }

    // Thread.start(): the caller's writes before go() are seen by the task.
    @Test
    void writesBeforeGoAreSeenByTheTask() throws InterruptedException {
        int[] box = new int[1];
        AtomicInteger seen = new AtomicInteger(-1);
        box[0] = 42;                                        // plain write before go()
        Thread t = Go.go(() -> seen.set(box[0]));
        t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertEquals(42, seen.get());
    }

    // An exception ends only the task's thread and reaches the uncaught-exception handler.
    @Test
    void exceptionReachesTheUncaughtExceptionHandler() throws InterruptedException {
        Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        AtomicReference<Thread> in = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        RuntimeException boom = new RuntimeException("boom");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e == boom) {
                in.set(t);
                caught.set(e);
                handled.countDown();
            }
        });
        try {
            Thread t = Go.go(() -> {
                throw boom;
            });
            assertTrue(handled.await(WAIT_S, TimeUnit.SECONDS));
            assertSame(boom, caught.get());
            assertSame(t, in.get());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
        }
    }

    @Test
    void nullTaskIsRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Go.go(null));
        assertEquals("task", e.getMessage());
    }

    // Each call is a new thread, never a reused one.
    @Test
    void eachCallStartsANewThread() throws InterruptedException {
        Thread a = Go.go(() -> { });
        Thread b = Go.go(() -> { });
        assertNotSame(a, b);
        a.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        b.join(TimeUnit.SECONDS.toMillis(WAIT_S));
    }
}
