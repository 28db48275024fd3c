package dev.gosync.context;

/** Test access to a context's package-private registration count, for other packages' tests. */
public final class ContextProbe {
    private ContextProbe() {
    }

    /**
     * The number of children and hooks registered in {@code c}.
     *
     * @param c a cancellable context
     * @return its registration count
     */
    public static int childCount(CancelContext c) {
        return c.childCount();
    }
}
