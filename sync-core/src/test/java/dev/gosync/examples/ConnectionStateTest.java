package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.examples.ConnectionState.PreparedStatement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    // The anti-pattern, shown deterministically: the map returned by settingsUnsafe() is the
    // guarded map, so a later locked write changes what the caller holds, without the caller
    // taking the lock. The clone taken at the same moment does not change.
    @Test
    @SuppressWarnings("deprecation")
    void returnedMutableMapEscapesTheLockButCloneDoesNot() {
        ConnectionState conn = new ConnectionState("alice");
        conn.setSetting("autocommit", "1");
        Map<String, String> leaked = conn.settingsUnsafe();
        Map<String, String> cloned = conn.cloneSettings();

        conn.setSetting("autocommit", "0");

        assertEquals("0", leaked.get("autocommit"), "the leaked map is the live, guarded map");
        assertEquals("1", cloned.get("autocommit"), "the clone is a snapshot");
        cloned.put("autocommit", "2");
        assertEquals("0", conn.setting("autocommit"), "changing the clone changes nothing");
    }

    // Writers apply {x = i, y = i} as one change while readers clone: every clone holds a pair
    // from one write, never x from one write and y from another.
    @Test
    void cloneUnderTheLockIsAConsistentSnapshot() throws InterruptedException {
        ConnectionState conn = new ConnectionState("alice");
        conn.setSettings(Map.of("x", "0", "y", "0"));
        int writes = 5_000;
        Concurrently.run(
                w -> writeLoop(conn, 1, writes),
                w -> writeLoop(conn, 2, writes),
                r -> readLoop(conn, writes),
                r -> readLoop(conn, writes));
    }

    private static void writeLoop(ConnectionState conn, int writer, int writes) {
        for (int i = 0; i < writes; i++) {
            String v = writer + ":" + i;
            conn.setSettings(Map.of("x", v, "y", v));
        }
    }

    private static void readLoop(ConnectionState conn, int reads) {
        for (int i = 0; i < reads; i++) {
            Map<String, String> snapshot = conn.cloneSettings();
            assertEquals(snapshot.get("x"), snapshot.get("y"), "torn settings " + snapshot);
        }
    }

    // Many threads prepare and close statements at once: ids are unique, nothing is lost.
    @Test
    void concurrentPreparesGetUniqueIdsAndAllSurvive() throws InterruptedException {
        ConnectionState conn = new ConnectionState("alice");
        int threads = 8;
        int perThread = 500;
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        Concurrently.run(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                PreparedStatement stmt = conn.prepare("s" + t + "_" + i, "SELECT " + i);
                assertTrue(ids.add(stmt.id()), "duplicate id " + stmt.id());
                PreparedStatement tmp = conn.prepare("tmp" + t, "SELECT 0");
                assertTrue(ids.add(tmp.id()), "duplicate id " + tmp.id());
                assertTrue(conn.closeStatement("tmp" + t));
            }
        });
        Set<String> names = new HashSet<>(conn.statementNames());
        assertEquals(threads * perThread, names.size());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                PreparedStatement stmt = conn.statement("s" + t + "_" + i);
                assertNotNull(stmt);
                assertEquals("SELECT " + i, stmt.sql());
            }
        }
    }

    // changeUser resets settings and statements in the same critical section.
    @Test
    void changeUserResetsTheSession() {
        ConnectionState conn = new ConnectionState("alice");
        conn.setSetting("sql_mode", "STRICT");
        conn.prepare("q", "SELECT 1");
        conn.changeUser("bob");
        assertEquals("bob", conn.user());
        assertNull(conn.setting("sql_mode"));
        assertNull(conn.statement("q"));
        assertTrue(conn.cloneSettings().isEmpty());
    }
}
