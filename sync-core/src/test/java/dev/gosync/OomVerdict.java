package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test side of {@link OomProbe}: forks a probe and asserts on its verdict. Kept out of
 * OomProbe, which runs in the forked JVM without JUnit on its class path.
 *
 * <p>The forked JVM also logs every exception it throws ({@code -Xlog:exceptions}), frame by
 * frame as it unwinds, and the stack trace of B's OutOfMemoryError is read from that log: the
 * fill uses up the JVM's few preallocated OutOfMemoryErrors that carry a stack trace, so the
 * error B catches has none. Besides naming the failing allocation in the message, this catches
 * a probe whose own code in {@code block()} allocated and failed before the call under test
 * (an early form of the timed Weighted case allocated its Duration there and passed).
 */
public final class OomVerdict {
    /** A frame of an exception being unwound, as -Xlog:exceptions=info prints it. */
    private static final Pattern FRAME = Pattern.compile(" thrown in \\w+ method"
            + " <\\{method\\} \\{0x\\p{XDigit}+\\} '([^']+)' '[^']*' in '([^']+)'>");

    private OomVerdict() {
    }

    /**
     * Runs {@code probe} with {@code probeCase} in a JVM with {@link OomProbe#JVM_OPTIONS} and
     * asserts its verdict is CLEAN; "no OOM reached", and an OutOfMemoryError thrown by the
     * probe's own code, fail with messages of their own.
     *
     * @param probe the probe class (its main calls {@link OomProbe#run})
     * @param probeCase the case name
     * @throws Exception if the JVM cannot be run
     */
    public static void assertClean(Class<?> probe, String probeCase) throws Exception {
        Path log = Files.createTempFile("oom-probe-", ".log");
        try {
            List<String> options = new ArrayList<>(OomProbe.JVM_OPTIONS);
            options.add("-Xlog:exceptions=info:file=" + log);
            ForkedJvm.Result r = ForkedJvm.run(probe, options, List.of(probeCase),
                    Mutex.class);   // the main classes, beside the probe's test classes
            String verdict = r.line("VERDICT ");
            assertNotNull(verdict, () -> "no verdict; probe output:\n" + r.output());
            assertNotEquals(OomProbe.NO_OOM, r.exitCode(), () -> verdict
                    + "\n(the probe could not make the call fail; probe output:\n" + r.output()
                    + ")");
            List<String> site = oomSite(Files.readAllLines(log));
            String where = site.isEmpty()
                    ? "B's OutOfMemoryError: not found in the exception log"
                    : "B's OutOfMemoryError was thrown at " + String.join(" < ", site);
            assertFalse(!site.isEmpty() && site.get(0).contains("OomProbe"), () -> "probe bug: "
                    + where + ", by the probe's own code before the call under test\n" + verdict);
            assertEquals(OomProbe.CLEAN, r.exitCode(), () -> verdict + "\n" + where
                    + "\nprobe output:\n" + r.output());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * The frames of the last exception caught by thread B's body (OomProbe$Blocker.run), top
     * first, as "Class.method" without the package; empty if the log has none.
     */
    private static List<String> oomSite(List<String> lines) {
        int end = lines.size();
        while (--end >= 0) {
            Matcher m = FRAME.matcher(lines.get(end));
            if (m.find() && m.group(1).equals("run")
                    && m.group(2).equals("dev/gosync/OomProbe$Blocker")) {
                break;
            }
        }
        List<String> frames = new ArrayList<>();
        // Back to the line where the VM created the exception ("thrown [file, line]", after
        // a "[   ] " on JDK 25); a catch-and-rethrow on the way lists its frame twice.
        for (int i = end - 1; i >= 0 && !lines.get(i).contains("thrown ["); i--) {
            Matcher m = FRAME.matcher(lines.get(i));
            if (m.find()) {
                String f = m.group(2).replaceFirst("^dev/gosync/", "").replace('/', '.')
                        + "." + m.group(1);
                if (frames.isEmpty() || !frames.get(0).equals(f)) {
                    frames.add(0, f);
                }
            }
        }
        return frames;
    }
}
