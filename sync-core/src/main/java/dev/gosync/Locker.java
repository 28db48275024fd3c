package dev.gosync;

/**
 * An object that can be locked and unlocked.
 *
 * <p><b>Go equivalent:</b> {@code sync.Locker}. {@code try (var held = l.locked()) { ... }} is
 * the Java spelling of {@code l.Lock(); defer l.Unlock()}. The guard variable is never read,
 * so {@code javac -Xlint:try} warns about it; code compiled with that lint (and
 * {@code -Werror}) adds {@code @SuppressWarnings("try")}, or on Java 22+ writes
 * {@code try (var _ = l.locked())}.
 *
 * <p><b>Memory consistency effects:</b> those of the implementation; every Locker in this
 * library makes an {@code unlock()} happen-before the return of the next {@code lock()}.
 */
public interface Locker {
    /** Acquires the lock, waiting as long as it takes. */
    void lock();

    /** Releases the lock. */
    void unlock();

    /**
     * Acquires the lock and returns a guard whose {@code close()} releases it, for use in
     * try-with-resources.
     *
     * @return the guard; closing it calls {@link #unlock()}
     */
    default Held locked() {
        lock();
        return this::unlock;
    }

    /**
     * A held lock, released by {@link #close()}; {@code close()} declares no checked exception.
     */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        /** Releases the lock this guard holds. */
        @Override
        void close();
    }
}
