package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples are patched into the {@code dev.gosync} module for testing, so the compiler would
 * let them use the module's non-exported {@code dev.gosync.internal} package; a user could not.
 * This test keeps them honest: it reads their sources and rejects any reference to it.
 */
class PublicApiOnlyTest {
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "gosync", "examples");

    @Test
    void examplesUseOnlyExportedPackages() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the sync-core folder: " + SOURCES);
        List<String> offenders = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> paths = Files.list(SOURCES)) {
            sources = paths.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path p : sources) {
            if (p.getFileName().toString().equals("PublicApiOnlyTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("dev.gosync.internal")) {
                    offenders.add(p.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertTrue(sources.size() > 10, "found only " + sources.size() + " example sources");
        assertEquals(List.of(), offenders, "examples must use the public API only");
    }
}
