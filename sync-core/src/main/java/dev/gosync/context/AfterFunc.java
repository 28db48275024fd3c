package dev.gosync.context;

import dev.gosync.Go;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * One {@link Context#afterFunc} registration (Go's {@code afterFuncCtx}), or one internal
 * inline hook ({@code dev.gosync.internal.ContextHooks}): a child of the nearest cancellable
 * context that runs its function when that context is done, unless stopped first.
 */
final class AfterFunc implements Context.StopFunc, BooleanSupplier {
    /*
     * state: ARMED, then exactly once by CAS either FIRED (the canceller runs f) or STOPPED
     * (stop() wins and deregisters): Go's sync.Once shared by the two paths.
     */
    private static final int ARMED = 0;
    private static final int FIRED = 1;
    private static final int STOPPED = 2;

    private final Runnable f;
    private final boolean inline;           // run f in the cancelling thread (internal hooks)
    private final CancelContext in;         // where registered; null if never done
    private volatile int state;

    private AfterFunc(Runnable f, boolean inline, CancelContext in) {
        this.f = f;
        this.inline = inline;
        this.in = in;
    }

    static AfterFunc register(Context ctx, Runnable f, boolean inline) {
        CancelContext c = ctx.cancelAncestor();
        AfterFunc a = new AfterFunc(f, inline, c);
        if (c != null && !c.addChild(a)) {
            a.fire();       // done already: run now
        }
        return a;
    }

    /** The context is done: run f unless stopped. */
    void fire() {
        if (STATE.compareAndSet(this, ARMED, FIRED)) {
            if (inline) {
                f.run();
            } else {
                Go.go(f);
            }
        }
    }

    @Override
    public boolean stop() {
        if (!STATE.compareAndSet(this, ARMED, STOPPED)) {
            return false;
        }
        if (in != null) {
            in.removeChild(this);
        }
        return true;
    }

    @Override
    public boolean getAsBoolean() {
        return stop();
    }

    // VarHandle mechanics
    private static final VarHandle STATE;   // field "state"
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AfterFunc.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
