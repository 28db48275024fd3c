package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a fresh JVM (the running JDK's {@code java}) on the plain class
 * path, for tests that need a heap, collector or memory state of their own: PoolTest's
 * release probes, the registration OOM probes.
 */
public final class ForkedJvm {
    /** How long a probe may run before it counts as hung and is killed. */
    private static final long LIMIT_SECONDS = 60;

    private ForkedJvm() {
    }

    /**
     * What a probe printed (stdout and stderr together) and how it exited.
     *
     * @param exitCode the probe's exit status
     * @param output everything it printed
     */
    public record Result(int exitCode, String output) {
        /**
         * The first line of the output that starts with {@code prefix}.
         *
         * @param prefix the start of the line
         * @return that line, or null if none starts so
         */
        public String line(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        }
    }

    /**
     * Runs {@code probe.main(args)} in a new JVM with {@code jvmOptions}; fails the calling test
     * if it does not exit within a minute (it is then killed).
     *
     * @param probe the class whose main runs
     * @param jvmOptions options for the new JVM, before the class name
     * @param args the arguments of main
     * @param onClassPath classes whose code source (directory or jar) goes on the class path,
     *     beside the probe's
     * @return the probe's exit status and output
     * @throws Exception if the JVM cannot be started or the wait is interrupted
     */
    public static Result run(Class<?> probe, List<String> jvmOptions, List<String> args,
            Class<?>... onClassPath) throws Exception {
        Set<String> cp = new LinkedHashSet<>();
        cp.add(codeSource(probe));
        for (Class<?> c : onClassPath) {
            cp.add(codeSource(c));
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(probe.getName());
        cmd.addAll(args);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
        Thread reader = TestThreads.startPlatform(() -> {
            try {
                out.add(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.add(e.toString());
            }
        });
        boolean exited = proc.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            proc.destroyForcibly();
        }
        reader.join(10_000);
        assertTrue(exited, "probe hung: " + String.join(" ", cmd) + "\n" + out);
        String printed = out.peek();
        return new Result(proc.exitValue(), printed == null ? "" : printed);
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
