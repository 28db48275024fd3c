package dev.gosync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The entry point of {@code benchmarks.jar}: JMH's command line, plus a table of gosync/anchor
 * time ratios after the run.
 *
 * <p>Every JMH option works as with {@code org.openjdk.jmh.Main}. Two additions:
 * <ul>
 *   <li>{@code --quick}: a short preset ({@code -f 1 -wi 1 -w 500ms -i 2 -r 500ms}) for a first
 *       look; flags given explicitly win over the preset. Its contended figures are not fit to
 *       quote (one fork swings several-fold on a shared machine).</li>
 *   <li>Unless {@code -rf}/{@code -rff} say otherwise, the results are also written as JMH JSON
 *       to {@code jmh-result.json} in the working directory, and the file is named at the end.</li>
 * </ul>
 *
 * <p><b>Pairing convention.</b> In one benchmark class, gosync's method is named
 * {@code <op>_gosync} and each JDK anchor {@code <op>_<anchor>} ({@code add_gosync},
 * {@code add_atomicLong}, {@code add_longAdder}). Each gosync result is paired with every anchor
 * of the same class, operation, parameters and thread count, and the table prints
 * {@code gosync time / anchor time}: below 1.00 gosync is faster. Throughput scores are inverted
 * to times first, so the ratio means the same in every mode. Two ratios are printed: of the
 * scores (JMH's means over all measured iterations of all forks), and of the medians of the same
 * iterations. On a shared machine one iteration in which the OS took the CPUs away (or one slow
 * fork) can move a mean by tens of percent; the median shows the typical iteration, and the two
 * disagreeing says that the run was disturbed and should be repeated (or run with more forks).
 */
public final class Main {
    private static final String GOSYNC = "gosync";
    private static final String DEFAULT_RESULT = "jmh-result.json";
    private static final List<String> QUICK =
            List.of("-f", "1", "-wi", "1", "-w", "500ms", "-i", "2", "-r", "500ms");

    private Main() {
    }

    /**
     * Runs JMH with {@code args}, then prints the ratio table.
     *
     * @param args JMH's command-line options, plus {@code --quick}
     * @throws IOException if JMH cannot print its help
     */
    public static void main(String[] args) throws IOException {
        String[] jmhArgs = expandQuick(args);
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line:");
            System.err.println(" " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams()
                || cmd.shouldListProfilers() || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(jmhArgs);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
        String resultFile = null;
        if (cmd.getResultFormat().hasValue() || cmd.getResult().hasValue()) {
            if (cmd.getResult().hasValue()) {
                resultFile = cmd.getResult().get();
            }
        } else {
            options.resultFormat(ResultFormatType.JSON).result(DEFAULT_RESULT);
            resultFile = DEFAULT_RESULT;
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            System.err.print("ERROR: ");
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.print(ratioTable(results));
        if (resultFile != null) {
            System.out.println("JMH results written to " + Path.of(resultFile).toAbsolutePath());
        }
    }

    /** Replaces {@code --quick} with the preset flags the user did not give explicitly. */
    static String[] expandQuick(String[] args) {
        List<String> given = new ArrayList<>(Arrays.asList(args));
        if (!given.remove("--quick")) {
            return args;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < QUICK.size(); i += 2) {
            if (!given.contains(QUICK.get(i))) {
                out.add(QUICK.get(i));
                out.add(QUICK.get(i + 1));
            }
        }
        out.addAll(given);
        return out.toArray(new String[0]);
    }

    /**
     * Builds the gosync/anchor table from JMH results that follow the pairing convention.
     *
     * @param results the results of one run
     * @return the table, or a line saying that no pair was found
     */
    static String ratioTable(Collection<RunResult> results) {
        // key: class + op + params + threads -> (variant -> result)
        Map<String, Map<String, RunResult>> pairs = new TreeMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String full = p.getBenchmark();
            int dot = full.lastIndexOf('.');
            String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            String method = full.substring(dot + 1);
            int us = method.indexOf('_');
            if (us <= 0 || us == method.length() - 1) {
                continue;
            }
            String key = cls + "." + method.substring(0, us) + paramText(p)
                    + " t=" + p.getThreads() + " " + p.getMode().shortLabel();
            pairs.computeIfAbsent(key, k -> new TreeMap<>()).put(method.substring(us + 1), r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("gosync vs JDK anchors: time ratio gosync/anchor (lower is faster; "
                + "< 1.00 means gosync is faster)\n");
        String fmt = "%-64s %-26s %14s %14s %7s %7s%n";
        sb.append(String.format(Locale.ROOT, fmt, "benchmark [params] threads mode", "anchor",
                "gosync", "anchor", "ratio", "median"));
        int rows = 0;
        for (Map.Entry<String, Map<String, RunResult>> e : pairs.entrySet()) {
            RunResult g = e.getValue().get(GOSYNC);
            if (g == null) {
                continue;
            }
            for (Map.Entry<String, RunResult> a : e.getValue().entrySet()) {
                if (a.getKey().equals(GOSYNC)) {
                    continue;
                }
                double ratio = timePerOp(g) / timePerOp(a.getValue());
                double median = medianTimePerOp(g) / medianTimePerOp(a.getValue());
                sb.append(String.format(Locale.ROOT, fmt, e.getKey(), a.getKey(),
                        scoreText(g), scoreText(a.getValue()),
                        String.format(Locale.ROOT, "%.2f", ratio),
                        String.format(Locale.ROOT, "%.2f", median)));
                rows++;
            }
        }
        if (rows == 0) {
            sb.append("(no <op>_gosync / <op>_<anchor> pairs in this run)\n");
        }
        return sb.toString();
    }

    private static String paramText(BenchmarkParams p) {
        StringBuilder sb = new StringBuilder();
        for (String k : p.getParamsKeys()) {
            sb.append(sb.length() == 0 ? " [" : ",").append(k).append('=').append(p.getParam(k));
        }
        return sb.length() == 0 ? "" : sb.append(']').toString();
    }

    private static String scoreText(RunResult r) {
        Result<?> res = r.getPrimaryResult();
        return String.format(Locale.ROOT, "%.3g %s", res.getScore(), res.getScoreUnit());
    }

    /** The score as a time per operation: throughput is inverted, time modes are kept. */
    private static double timePerOp(RunResult r) {
        return asTime(r, r.getPrimaryResult().getScore());
    }

    /** The median of the measured iterations (samples, in SampleTime mode) as a time. */
    private static double medianTimePerOp(RunResult r) {
        return asTime(r, r.getPrimaryResult().getStatistics().getPercentile(50));
    }

    private static double asTime(RunResult r, double score) {
        return r.getParams().getMode() == Mode.Throughput ? 1.0 / score : score;
    }
}
