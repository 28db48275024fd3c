package dev.gosync.examples;

import dev.gosync.Go;
import dev.gosync.WaitGroup;
import dev.gosync.chan.Chan;
import dev.gosync.chan.ReceiveChan;
import java.util.Objects;
import java.util.function.Function;

/**
 * Go's pipeline pattern (<a href="https://go.dev/blog/pipelines">go.dev/blog/pipelines</a>):
 * stages connected by channels, each stage a thread (or several) that receives from upstream,
 * works, sends downstream, and closes its outbound channel when done.
 *
 * <ul>
 *   <li><b>Generator</b> ({@link #generate}): one thread sends {@code 1..n} and closes. Only the
 *       sender closes (in Go closing is the sender's job: a receiver that closed would make the
 *       sender throw "send on closed channel").</li>
 *   <li><b>Fan-out</b> ({@link #fanOut}): N workers range over <em>one</em> input channel; each
 *       value goes to exactly one of them, whichever is free (the channel is the work queue),
 *       and every worker's range ends when the generator closes it.</li>
 *   <li><b>Fan-in</b>: the workers send into one output channel. None of them may close it
 *       (the others are still sending), so a {@link WaitGroup} counts them and one more thread
 *       waits for it and then closes the output: Go's
 *       {@code go func() { wg.Wait(); close(out) }()}.</li>
 *   <li>The consumer ranges over the output ({@code for (R r : out)}) and stops when it is
 *       closed and drained, i.e. after the last worker's last value.</li>
 * </ul>
 *
 * <p>The channels are unbuffered: each stage runs at most one value ahead of the next, so a slow
 * consumer slows the workers and the generator (back-pressure) instead of queueing without
 * bound. Results arrive in completion order, not input order. Stages are handed out as
 * {@link ReceiveChan}s, so that downstream code cannot send into or close them.
 */
final class Pipeline {
    private Pipeline() {
    }

    /**
     * Starts a generator of {@code 1..n}.
     *
     * @param n how many values; 0 gives a channel that is closed at once
     * @return the channel, closed after {@code n}
     */
    static ReceiveChan<Integer> generate(int n) {
        Chan<Integer> out = new Chan<>();
        Go.go(() -> {
            for (int i = 1; i <= n; i++) {
                out.send(i);
            }
            out.close();
        });
        return out;
    }

    /**
     * Starts {@code workers} threads that apply {@code f} to every value of {@code in}, and a
     * closer that closes the returned channel once all of them have finished.
     *
     * @param in the input, shared by all workers
     * @param workers how many workers, at least 1
     * @param f the work; must not return null (a channel carries no nulls)
     * @param <T> the input type
     * @param <R> the result type
     * @return the merged results, closed after the last one
     */
    static <T, R> ReceiveChan<R> fanOut(ReceiveChan<T> in, int workers,
            Function<? super T, ? extends R> f) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers < 1: " + workers);
        }
        Objects.requireNonNull(f, "f");
        Chan<R> out = new Chan<>();
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < workers; w++) {
            wg.go(() -> {                  // counted before the closer can wait: add happens here
                for (T v : in) {
                    out.send(f.apply(v));
                }
            });
        }
        Go.go(() -> {
            try {
                wg.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;                    // the output stays open; nobody interrupts us here
            }
            out.close();
        });
        return out;
    }
}
