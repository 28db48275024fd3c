package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.RWMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The readiness probe of a service: a list of named checks (is the topology server reachable,
 * has the schema loaded, is replication lag acceptable) that a load balancer polls every second.
 *
 * <p><b>Primitive:</b> an {@link RWMutex} around the list. Checks are registered a handful of
 * times at start-up and read on every probe, from many threads at once: readers share
 * {@code rLock}, writers are rare.
 *
 * <p><b>The rule:</b> {@link #runAll()} copies the list under {@code rLock} and runs the checks
 * with the lock <em>released</em>. A check is slow (it may make a network call and time out
 * after seconds); run under the read lock, one slow check would make a waiting
 * {@link #register} block, and, because a waiting writer blocks new readers (writer
 * preference, as in Go), every other probe would then queue behind it too. Copying a short
 * list costs far less than that stall. The same holds for any callback: never call foreign code
 * while holding a lock.
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class ReadinessChecks {
    /** One readiness check; may be slow, may throw. */
    @FunctionalInterface
    interface Check {
        /**
         * @throws Exception when the component is not ready; the message says why
         */
        void check() throws Exception;
    }

    /** The outcome of one check: {@code error} is null when it passed. */
    record Result(String name, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private record Named(String name, Check check) {
    }

    private final RWMutex mu = new RWMutex();
    private final ArrayList<Named> checks = new ArrayList<>();   // guarded by mu

    /** Creates an empty set of checks (a service with none is ready). */
    ReadinessChecks() {
    }

    /**
     * Adds a check; takes the write lock for the length of one {@code add}.
     *
     * @param name the check's name, reported with its result
     * @param check the check
     */
    void register(String name, Check check) {
        Named named = new Named(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(check, "check"));
        try (Locker.Held held = mu.locked()) {
            checks.add(named);
        }
    }

    /** @return how many checks are registered */
    int size() {
        try (Locker.Held held = mu.rLocked()) {
            return checks.size();
        }
    }

    /**
     * Runs every registered check, in registration order, with no lock held while they run.
     * Checks registered meanwhile are run by the next call.
     *
     * @return one result per check
     */
    List<Result> runAll() {
        List<Named> snapshot;
        try (Locker.Held held = mu.rLocked()) {
            snapshot = List.copyOf(checks);   // the only work done under the lock
        }
        List<Result> results = new ArrayList<>(snapshot.size());
        for (Named named : snapshot) {
            results.add(run(named));
        }
        return results;
    }

    /** @return whether every check passes now */
    boolean ready() {
        for (Result r : runAll()) {
            if (!r.ok()) {
                return false;
            }
        }
        return true;
    }

    private static Result run(Named named) {
        try {
            named.check().check();
            return new Result(named.name(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(named.name(), "interrupted");
        } catch (Exception e) {
            return new Result(named.name(), String.valueOf(e.getMessage()));
        }
    }
}
