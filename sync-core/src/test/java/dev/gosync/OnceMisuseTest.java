package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OnceMisuseTest {
    private static final String RECURSIVE =
            "sync: Once.run called recursively from its own function";

    // f calling run on its own Once deadlocks in Go; here the inner call throws, runs nothing,
    // and the outer call still completes the Once.
    @Test
    void recursiveRunThrowsInsteadOfDeadlocking() {
        Once once = new Once();
        AtomicReference<Throwable> inner = new AtomicReference<>();
        AtomicInteger innerRan = new AtomicInteger();
        once.run(() -> {
            try {
                once.run(innerRan::incrementAndGet);
            } catch (IllegalStateException e) {
                inner.set(e);
            }
        });
        assertEquals(RECURSIVE, inner.get().getMessage());
        assertEquals(0, innerRan.get());
        assertTrue(once.isDone());
        once.run(innerRan::incrementAndGet);                // still usable: done, runs nothing
        assertEquals(0, innerRan.get());
    }

    // Re-entrancy deeper down f's stack, and an uncaught inner exception: it propagates out of
    // the outer run (it is f's exception now) and the Once is done.
    @Test
    void recursionDeepInFPropagatesAndCompletes() {
        Once once = new Once();
        Runnable deeper = () -> once.run(() -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> once.run(() -> deeper.run()));
        assertEquals(RECURSIVE, e.getMessage());
        assertTrue(once.isDone());
    }

    // The memoised functions inherit the detection: the inner call's exception becomes f's.
    @Test
    void recursiveMemoisedFunctionsThrowTheSameExceptionEveryTime() throws Exception {
        Supplier<?>[] self = new Supplier<?>[1];
        Supplier<Object> g = Once.value(() -> self[0].get());
        self[0] = g;
        IllegalStateException first = assertThrows(IllegalStateException.class, g::get);
        assertEquals(RECURSIVE, first.getMessage());
        assertSame(first, assertThrows(IllegalStateException.class, g::get));

        Runnable[] selfF = new Runnable[1];
        Runnable h = Once.func(() -> selfF[0].run());
        selfF[0] = h;
        assertEquals(RECURSIVE, assertThrows(IllegalStateException.class, h::run).getMessage());

        @SuppressWarnings("unchecked")
        Callable<Object>[] selfV = new Callable[1];
        Callable<Object> k = Once.values(() -> selfV[0].call());
        selfV[0] = k;
        assertEquals(RECURSIVE, assertThrows(IllegalStateException.class, k::call).getMessage());
    }

    @Test
    void nullFunctionIsRejectedBeforeAndAfterCompletion() {
        Once once = new Once();
        assertEquals("f", assertThrows(NullPointerException.class, () -> once.run(null))
                .getMessage());
        assertFalse(once.isDone(), "a rejected call must change nothing");
        once.run(() -> { });
        assertThrows(NullPointerException.class, () -> once.run(null));
        assertThrows(NullPointerException.class, () -> Once.func(null));
        assertThrows(NullPointerException.class, () -> Once.value(null));
        assertThrows(NullPointerException.class, () -> Once.values(null));
    }
}
