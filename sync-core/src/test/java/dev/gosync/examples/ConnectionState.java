package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mutable state of one client connection of a database proxy: who is logged in, the
 * session settings, and the statements the client has prepared.
 *
 * <p><b>Primitive:</b> one {@link Mutex} for the whole group of fields. The fields change
 * together (a {@code USE} or a {@code RESET} touches several of them at once) and are read
 * rarely and briefly, by the connection's own thread and by admin or metrics threads, so there
 * is nothing to gain from finer locks or from atomics, and a single contract comment ("mu guards
 * every field below") is easy to keep true.
 *
 * <p><b>The rule that keeps the lock meaningful:</b> no reference to a guarded mutable object
 * leaves the lock. Accessors copy out under the lock: {@link #user()} returns an immutable
 * {@code String}, {@link #cloneSettings()} a fresh map, {@link #statement(String)} an immutable
 * record. {@link #settingsUnsafe()} shows the bug this rule prevents: the caller gets the live
 * map and reads or writes it after the lock is released, racing with every later
 * {@link #setSetting} (a {@code HashMap} read during a resize may even loop or throw).
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class ConnectionState {
    /** A prepared statement; immutable, so it may be handed out as is. */
    record PreparedStatement(long id, String sql) {
        PreparedStatement {
            Objects.requireNonNull(sql, "sql");
        }
    }

    private final Mutex mu = new Mutex();
    // mu guards every field below. Hold it only to read or write them: never while doing I/O,
    // and never hand out a reference to the maps.
    private String user;                                        // guarded by mu
    private final HashMap<String, String> settings = new HashMap<>();   // guarded by mu
    private final HashMap<String, PreparedStatement> statements = new HashMap<>(); // guarded by mu
    private long nextStatementId = 1;                           // guarded by mu

    /**
     * @param user the user who opened the connection
     */
    ConnectionState(String user) {
        this.user = Objects.requireNonNull(user, "user");   // before publication: no lock needed
    }

    /** @return the current user (a String is immutable: returning it is a copy) */
    String user() {
        try (Locker.Held held = mu.locked()) {
            return user;
        }
    }

    /**
     * Switches the connection to another user, which also resets the session: settings and
     * prepared statements belong to the old user. The three changes are made under one lock
     * hold, so no reader sees the new user with the old user's statements.
     *
     * @param newUser the user to switch to
     */
    void changeUser(String newUser) {
        Objects.requireNonNull(newUser, "newUser");
        try (Locker.Held held = mu.locked()) {
            user = newUser;
            settings.clear();
            statements.clear();
        }
    }

    /**
     * @param name the setting's name
     * @param value its new value
     */
    void setSetting(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        try (Locker.Held held = mu.locked()) {
            settings.put(name, value);
        }
    }

    /**
     * Applies several settings as one change (a client's {@code SET a = 1, b = 2}): a reader
     * sees all of them or none.
     *
     * @param changes the settings to apply
     */
    void setSettings(Map<String, String> changes) {
        Map<String, String> copy = Map.copyOf(changes);    // validate and copy before locking
        try (Locker.Held held = mu.locked()) {
            settings.putAll(copy);
        }
    }

    /**
     * @param name the setting's name
     * @return its value, or null when unset
     */
    String setting(String name) {
        try (Locker.Held held = mu.locked()) {
            return settings.get(name);
        }
    }

    /**
     * The fix for {@link #settingsUnsafe()}: a copy made under the lock. The caller may read it
     * and change it at leisure; it is a consistent snapshot of one moment.
     *
     * @return a new map holding the current settings
     */
    Map<String, String> cloneSettings() {
        try (Locker.Held held = mu.locked()) {
            return new HashMap<>(settings);
        }
    }

    /**
     * <b>Do not copy this method.</b> It takes the lock, but the lock protects nothing: the map
     * it returns is the guarded map itself, which the caller then uses with no lock held.
     *
     * @return the live settings map (the bug)
     * @deprecated the anti-pattern this class documents; use {@link #cloneSettings()}
     */
    @Deprecated
    Map<String, String> settingsUnsafe() {
        try (Locker.Held held = mu.locked()) {
            return settings;
        }
    }

    /**
     * Prepares a statement under a name, replacing any earlier one of that name.
     *
     * @param name the client's name for the statement
     * @param sql its text
     * @return the new statement
     */
    PreparedStatement prepare(String name, String sql) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        try (Locker.Held held = mu.locked()) {
            PreparedStatement stmt = new PreparedStatement(nextStatementId++, sql);
            statements.put(name, stmt);
            return stmt;
        }
    }

    /**
     * @param name the client's name for the statement
     * @return the statement, or null when none has that name; it is immutable, so handing it
     *     out is safe
     */
    PreparedStatement statement(String name) {
        try (Locker.Held held = mu.locked()) {
            return statements.get(name);
        }
    }

    /**
     * @param name the client's name for the statement
     * @return whether a statement was closed
     */
    boolean closeStatement(String name) {
        try (Locker.Held held = mu.locked()) {
            return statements.remove(name) != null;
        }
    }

    /** @return the names of the prepared statements, copied under the lock */
    List<String> statementNames() {
        try (Locker.Held held = mu.locked()) {
            return new ArrayList<>(statements.keySet());
        }
    }
}
