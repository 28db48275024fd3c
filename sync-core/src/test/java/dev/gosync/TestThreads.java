package dev.gosync;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Starts test threads: virtual threads where the running JDK has them (21+), platform threads
 * otherwise. Tests compiled for release 17 use this to exercise virtual threads on JDK 25.
 */
public final class TestThreads {
    private static final MethodHandle START_VIRTUAL = findStartVirtual();

    private TestThreads() {
    }

    /** Whether {@link #startVirtual} really starts virtual threads on this JDK. */
    public static boolean virtualAvailable() {
        return START_VIRTUAL != null;
    }

    /** Starts {@code task} on a virtual thread, or on a platform thread before JDK 21. */
    public static Thread startVirtual(Runnable task) {
        if (START_VIRTUAL == null) {
            Thread t = new Thread(task);
            t.setDaemon(true);
            t.start();
            return t;
        }
        try {
            return (Thread) START_VIRTUAL.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** Starts {@code task} on a new daemon platform thread. */
    public static Thread startPlatform(Runnable task) {
        Thread t = new Thread(task);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static MethodHandle findStartVirtual() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
