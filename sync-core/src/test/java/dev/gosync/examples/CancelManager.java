package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.atomic.AtomicPointer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Query cancellation in a fleet of proxies (PostgreSQL's cancel request): a client sends a
 * cancel key on a fresh connection, possibly to another proxy than the one serving its session.
 * The high 16 bits of the key say which proxy issued it; that proxy finds the session by the
 * whole key and cancels its running query.
 *
 * <p><b>Two maps, two primitives, chosen by how they change:</b>
 * <ul>
 *   <li>the <em>prefix routes</em> (key prefix → proxy address) are read on every cancel request
 *       and rebuilt rarely, when service discovery reports a new fleet. They live in an
 *       immutable map behind an {@link AtomicPointer}: a refresh builds a new map and swaps it in
 *       with one {@code store}; a lookup is one {@code load} and never blocks, never sees a
 *       half-built map, and needs no lock. Rebuilding the whole map per refresh is cheap because
 *       refreshes are rare and the map is small.</li>
 *   <li>the <em>local sessions</em> (cancel key → session) change on every connect and
 *       disconnect. Copying the map on each change would cost O(sessions) per connection, so it
 *       is a {@code HashMap} mutated in place under a {@link Mutex}, held only for the
 *       {@code get}/{@code put}/{@code remove} itself. The session's {@code cancel()} is called
 *       after the lock is released: it does I/O and must not hold up connects.</li>
 * </ul>
 * The two are independent: no operation needs both at once, so there is no lock order.
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class CancelManager {
    /** A local client session whose running query can be cancelled. */
    @FunctionalInterface
    interface Session {
        /** Cancels the session's running query; may block on I/O. */
        void cancel();
    }

    /** What became of a cancel request. */
    enum Outcome {
        /** A local session was found and cancelled. */
        CANCELLED,
        /** The key belongs to a peer proxy: forward the request there. */
        FORWARD,
        /** The key is ours but no session has it (already disconnected). */
        UNKNOWN_SESSION,
        /** No proxy is known for the key's prefix. */
        UNKNOWN_PREFIX
    }

    private final String self;
    // Read-mostly: an immutable map, replaced whole by refreshRoutes(). Never mutated in place.
    private final AtomicPointer<Map<Integer, String>> routes = new AtomicPointer<>(Map.of());

    private final Mutex mu = new Mutex();
    private final HashMap<Long, Session> sessions = new HashMap<>();   // guarded by mu

    /**
     * @param self this proxy's address, as it appears in the routes
     */
    CancelManager(String self) {
        this.self = Objects.requireNonNull(self, "self");
    }

    /**
     * @param cancelKey a cancel key
     * @return the proxy prefix it carries (its high 16 bits)
     */
    static int prefix(long cancelKey) {
        return (int) (cancelKey >>> 48);
    }

    /**
     * Replaces the routes with a new fleet; readers switch from the old map to the new one
     * between two lookups, never within one.
     *
     * @param fresh prefix → proxy address; copied
     */
    void refreshRoutes(Map<Integer, String> fresh) {
        routes.store(Map.copyOf(fresh));   // build first, then publish with one store
    }

    /** @return the current routes: an immutable snapshot, safe to keep and iterate */
    Map<Integer, String> routes() {
        return routes.load();
    }

    /**
     * @param cancelKey a cancel key
     * @return the proxy that issued it, or null if its prefix is unknown; never blocks
     */
    String route(long cancelKey) {
        return routes.load().get(prefix(cancelKey));
    }

    /**
     * Registers a local session under its cancel key.
     *
     * @param cancelKey the key handed to the client
     * @param session the session
     */
    void register(long cancelKey, Session session) {
        Objects.requireNonNull(session, "session");
        try (Locker.Held held = mu.locked()) {
            sessions.put(cancelKey, session);
        }
    }

    /**
     * Forgets a local session (the client disconnected).
     *
     * @param cancelKey its key
     */
    void unregister(long cancelKey) {
        try (Locker.Held held = mu.locked()) {
            sessions.remove(cancelKey);
        }
    }

    /** @return how many local sessions are registered */
    int sessionCount() {
        try (Locker.Held held = mu.locked()) {
            return sessions.size();
        }
    }

    /**
     * Handles a cancel request.
     *
     * @param cancelKey the key the client sent
     * @return what was done; on {@link Outcome#FORWARD} the caller sends the request to
     *     {@link #route(long)}
     */
    Outcome cancel(long cancelKey) {
        String owner = route(cancelKey);   // lock-free
        if (owner == null) {
            return Outcome.UNKNOWN_PREFIX;
        }
        if (!owner.equals(self)) {
            return Outcome.FORWARD;
        }
        Session session;
        try (Locker.Held held = mu.locked()) {
            session = sessions.get(cancelKey);
        }
        if (session == null) {
            return Outcome.UNKNOWN_SESSION;
        }
        session.cancel();   // I/O: outside the lock
        return Outcome.CANCELLED;
    }
}
