package dev.gosync;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The goroutine launcher: starts a task on a new thread of its own, a virtual thread where the
 * running JDK has them (21+) and a new daemon platform thread otherwise (17).
 *
 * <p><b>Go equivalent:</b> the {@code go} statement; {@code Go.go(() -> f(x))} is
 * {@code go f(x)}. Every call starts a new thread: there is no pool, so tasks that wait for one
 * another (a task waiting for a task started after it) cannot deadlock for want of a worker.
 * Every thread is named {@code gosync-go}, so a thread dump shows where it came from; the thread
 * id that every dump prints next to the name ({@code #1234 "gosync-go" virtual} in
 * {@code jcmd <pid> Thread.dump_to_file}, the JDK 21+ dump that lists virtual threads) tells
 * them apart, as Go's goroutine ids do. Platform threads are daemons, as goroutines do not keep
 * a Go program alive; virtual threads always are.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread before {@code go(task)}
 * happen-before every action of {@code task} (the {@link Thread#start()} rule). Nothing orders
 * the task's actions before anything else; join the task with a {@link WaitGroup}
 * ({@link WaitGroup#go}) or a {@link Thread#join()} on the returned thread. (jcstress:
 * {@code WaitGroupStress.GoPublishesBothWays}.)
 *
 * <p><b>Misuse:</b> a null task throws {@code NullPointerException} and starts nothing. An
 * exception that escapes {@code task} ends only its thread and goes to that thread's uncaught
 * exception handler (by default printed to {@code System.err}); Go's unrecovered panic would end
 * the whole process instead.
 *
 * <p><b>Progress:</b> {@code go} never waits for the task; it allocates and starts one thread,
 * which on JDK 17 can fail with {@code OutOfMemoryError} when the OS runs out of threads.
 */
public final class Go {
    /*
     * Implementation notes. Thread.ofVirtual() is a Java 21 API and this library compiles with
     * --release 17, so the class initialiser looks it up through MethodHandles once and keeps
     * the builder's ThreadFactory (thread-safe and stateless). go() then costs an interface call
     * plus Thread.start(): no reflection on the hot path. Without the API (JDK 17) the factory
     * makes daemon platform threads with the same name.
     *
     * One constant name. Rejected: a counted name ("gosync-go-N"), because the counter's
     * getAndAdd and building each name cost a measurable share of starting a virtual thread
     * (sync-bench/NOTES.md), and the thread id already tells threads apart in every dump.
     *
     * Left alone: the root thread container. With the default -Djdk.trackAllThreads=true,
     * Thread.start() adds each virtual thread to one JVM-wide set, so that jcmd
     * Thread.dump_to_file lists it; =false is faster but hides parked virtual threads from that
     * dump: it is the user's switch, not ours. go() adds one small wrapper (the WaitGroup's
     * count-out) and no future to the JDK's own start/run/exit path.
     */

    /** The name of every thread {@link #go} starts. */
    static final String THREAD_NAME = "gosync-go";

    private static final ThreadFactory FACTORY;
    private static final boolean VIRTUAL;

    static {
        ThreadFactory virtual = virtualFactory();
        VIRTUAL = virtual != null;
        FACTORY = VIRTUAL ? virtual : platformFactory();
    }

    private Go() {
    }

    /**
     * Starts {@code task} on a new thread: a virtual thread on Java 21+, a new daemon platform
     * thread on Java 17. Never queues the task behind others.
     *
     * @param task the code to run
     * @return the started thread, named {@code gosync-go}
     * @throws NullPointerException if {@code task} is null
     */
    public static Thread go(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread t = FACTORY.newThread(task);
        t.start();
        return t;
    }

    /**
     * Tells whether {@link #go} starts virtual threads (Java 21+) or platform threads.
     *
     * @return true if the running JDK has virtual threads and {@code go} uses them
     */
    public static boolean virtualThreads() {
        return VIRTUAL;
    }

    /**
     * The Java 17 factory: daemon platform threads named {@code gosync-go}. Package-private so
     * that tests on a newer JDK can still exercise it.
     */
    static ThreadFactory platformFactory() {
        return task -> {
            Thread t = new Thread(task, THREAD_NAME);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * {@code Thread.ofVirtual().name("gosync-go").factory()}, looked up reflectively; null where
     * the JDK has no virtual threads.
     */
    private static ThreadFactory virtualFactory() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle create = lookup.findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(ofVirtual));
            MethodHandle name = lookup.findVirtual(ofVirtual, "name",
                    MethodType.methodType(ofVirtual, String.class));
            MethodHandle factory = lookup.findVirtual(builder, "factory",
                    MethodType.methodType(ThreadFactory.class));
            Object b = create.invoke();
            b = name.invoke(b, THREAD_NAME);
            return (ThreadFactory) factory.invoke(b);
        } catch (ReflectiveOperationException | UnsupportedOperationException e) {
            return null;      // JDK 17-20: no Thread.ofVirtual(), or preview not enabled
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
