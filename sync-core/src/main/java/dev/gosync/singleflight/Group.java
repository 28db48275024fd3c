package dev.gosync.singleflight;

import dev.gosync.Go;
import dev.gosync.Mutex;
import dev.gosync.WaitGroup;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Duplicate call suppression: concurrent calls with the same key share one execution of the
 * function, and every caller gets its value or its failure.
 *
 * <p><b>Go equivalent:</b> {@code golang.org/x/sync/singleflight.Group}; {@code Do} is
 * {@link #call} ({@code do} is a Java keyword), {@code DoChan} is {@link #callAsync},
 * {@code Forget} is {@link #forget}. Keys are any type with {@code equals}/{@code hashCode}
 * instead of strings.
 * <pre>{@code
 * Go                                           Java
 * var g singleflight.Group                     var g = new Group<String, Config>();
 * v, err, shared := g.Do(key, func() (any,     Result<Config> r = g.call(key, () -> load(key));
 *         error) { return load(key) })         Config v = r.value();  boolean s = r.shared();
 * if err != nil { return err }                 // a failure of load is thrown by call
 * ch := g.DoChan(key, fn)                      CompletableFuture<Result<Config>> f =
 * res := <-ch                                          g.callAsync(key, () -> load(key));
 * g.Forget(key)                                g.forget(key);
 * }</pre>
 *
 * <p>Signatures: {@link #Group()},
 * {@code Result<V> call(K key, Callable<? extends V> fn) throws Exception},
 * {@code CompletableFuture<Result<V>> callAsync(K key, Callable<? extends V> fn)},
 * {@code void forget(K key)}; {@link Result} is a record of {@code value} and {@code shared}.
 *
 * <p><b>Sharing:</b> {@code call} runs {@code fn} on the calling thread unless a call with an
 * equal key is in flight; then it waits for that call instead and its own {@code fn} is never
 * invoked. {@code callAsync} does the same but runs {@code fn} on a new goroutine
 * ({@link Go#go}) and never blocks. When the execution ends, the key is freed in the same
 * critical section that publishes the outcome: a caller either joins the execution and gets its
 * outcome, or comes after it and starts a new one. Finished keys are never retained.
 *
 * <p><b>Failures:</b> if {@code fn} throws, every caller of that execution gets the same
 * exception object: {@code call} throws it as is (checked exceptions included, hence
 * {@code throws Exception}), and the futures of {@code callAsync} complete exceptionally with
 * it. This holds for {@code Error}s too (Go's panic in {@code fn}, which Go re-raises in every
 * {@code Do} caller and which crashes the process if a {@code DoChan} caller waits): here no
 * caller is left waiting, and nothing crashes. The key is free again afterwards. An
 * {@code InterruptedException} thrown by {@code fn} (for instance because the thread running it
 * was interrupted) is shared the same way, like any other failure of the shared execution.
 *
 * <p><b>Interrupts:</b> a caller waiting in {@code call} for another's execution waits
 * interruptibly: when interrupted it throws {@code InterruptedException}, stops counting as a
 * sharer, and the execution carries on for the others. If the interrupt comes too late, when
 * the execution has already ended and counted this caller as a sharer (its {@code shared} is
 * already decided), the caller takes the outcome instead, as if the interrupt had come just
 * after its wait, and returns (or throws) it with its interrupt status set. Cancelling a future
 * returned by {@code callAsync} abandons only that caller's wait: if the future is cancelled (or
 * completed by anyone else) before the outcome reaches it, that caller does not count as a
 * sharer; once the future holds the outcome, {@code cancel} fails and the caller counts. So a
 * leader reports {@code shared == true} exactly when some other caller gets its outcome. The
 * thread that runs {@code fn} is not interrupted by anything here; {@code fn} itself decides
 * what an interrupt means.
 *
 * <p><b>Memory consistency effects:</b> actions of {@code fn} happen-before the return (or the
 * throw) of every {@code call} that gets its outcome, and before the completion of every
 * future that gets it; actions before {@code callAsync} that starts an execution happen-before
 * the actions of its {@code fn}. (jcstress: {@code SingleFlightStress.JoinInFlightOrRunAfter}.)
 *
 * <p><b>Misuse:</b> null keys and functions are rejected with {@code NullPointerException}. A
 * function that calls {@code call} with its own key, on its own thread, would wait for itself
 * forever (as it does in Go): that inner call throws {@code IllegalStateException} instead, and
 * the outer execution goes on.
 *
 * <p><b>Progress:</b> {@code call} blocks while it waits for an execution in flight;
 * {@code callAsync} and {@code forget} never wait for an execution (they take an internal mutex
 * briefly). {@code fn} never runs while that mutex is held, nor do future completions; the
 * key's {@code hashCode} and {@code equals} do (the group's map calls them), so they must be
 * quick and must not call the group.
 *
 * @param <K> the key type
 * @param <V> the result type
 */
public final class Group<K, V> {
    /*
     * Implementation notes. Go's design: a mutex-guarded map from key to the call in flight;
     * a call carries a WaitGroup (count 1 until its execution ends), the outcome, the number of
     * callers that joined, and the futures of asynchronous callers. The execution's end is one
     * critical section: wg.done(), remove the key if it still maps to this call (forget() may
     * have replaced it), and take the futures. So no caller can join a finished call, and a
     * forgotten call cannot remove its successor.
     *
     * Sharing is decided once per joiner, and the leader's shared is the OR of those decisions.
     * A joiner in call() is counted in dups; it leaves (dups--) only under mu while !finished,
     * and finish() reads dups in the critical section that sets finished. A joiner of
     * callAsync is decided by its own future: after that critical section finish() completes
     * the joiners' futures (outside mu) and counts those whose complete() succeeded. That CAS
     * inside CompletableFuture is the one decision: the future holds the outcome and counts, or
     * a cancel() (or any completion by someone else) came first and it does not; a cancel()
     * after it fails. Only then is the leader's shared known, so a callAsync leader's own future
     * completes last. Tempting but wrong: counting the futures under mu (a cancel() between the
     * unlock and complete() would be a sharer that never got the outcome), or a cancellation
     * callback that decrements dups (it can run after finish() has read it).
     *
     * Lock order: mu is a leaf. User functions and future completions (which run dependent
     * stages synchronously) never run while mu is held.
     */
    private final Mutex mu = new Mutex();
    private final HashMap<K, Call<V>> calls = new HashMap<>();   // guarded by mu

    /** An execution in flight, or finished. */
    private static final class Call<V> {
        final WaitGroup wg = new WaitGroup();  // count 1 until the execution ends
        V value;            // written once before wg.done(); read after wg.await()
        Throwable failure;  // same publication rule as value
        int dups;           // guarded by Group.mu; joiners in call() that have not left
        boolean finished;   // guarded by Group.mu; set when finish() reads dups
        Thread leader;      // the thread running fn; read only to compare with the reader
        CompletableFuture<Result<V>> leaderFuture;    // guarded by Group.mu; null for call()
        List<CompletableFuture<Result<V>>> futures;   // guarded by Group.mu; joiners', or null

        Call() {
            wg.add(1);
        }

        void addFuture(CompletableFuture<Result<V>> f) {
            if (futures == null) {
                futures = new ArrayList<>(2);
            }
            futures.add(f);
        }
    }

    /** Creates a group with no calls in flight (Go's zero {@code singleflight.Group}). */
    public Group() {
    }

    /**
     * Runs {@code fn} and returns its value, unless a call with an equal key is in flight, in
     * which case this waits for it and returns its outcome.
     *
     * @param key the key that identifies duplicate calls
     * @param fn the function, run on the calling thread if no call for {@code key} is in flight
     * @return the value, and whether it was given to more than one caller
     * @throws Exception the exception the shared execution of the function threw, as is; or
     *         {@code InterruptedException} if this caller was interrupted while waiting for
     *         another caller's execution
     * @throws NullPointerException if {@code key} or {@code fn} is null
     */
    public Result<V> call(K key, Callable<? extends V> fn) throws Exception {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        Call<V> c;
        boolean lead = false;
        mu.lock();
        try {
            c = calls.get(key);
            if (c != null) {
                c.dups++;
            } else {
                c = new Call<>();
                calls.put(key, c);
                lead = true;
            }
        } finally {
            mu.unlock();
        }
        return lead ? lead(key, c, fn) : join(c);
    }

    /**
     * As {@link #call}, but returns at once: {@code fn} runs on a new goroutine (or the call
     * joins the execution in flight for {@code key}) and the future completes with the outcome.
     *
     * @param key the key that identifies duplicate calls
     * @param fn the function, run on a new goroutine if no call for {@code key} is in flight
     * @return a future of the value and whether it was shared; it completes exceptionally with
     *         the exception the shared execution threw
     * @throws NullPointerException if {@code key} or {@code fn} is null
     */
    public CompletableFuture<Result<V>> callAsync(K key, Callable<? extends V> fn) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        CompletableFuture<Result<V>> future = new CompletableFuture<>();
        Call<V> c;
        boolean lead = false;
        mu.lock();
        try {
            c = calls.get(key);
            if (c != null) {
                c.addFuture(future);   // a joiner; its future decides whether it shares
            } else {
                c = new Call<>();
                c.leaderFuture = future;
                calls.put(key, c);
                lead = true;
            }
        } finally {
            mu.unlock();
        }
        if (lead) {
            Call<V> call = c;
            try {
                Go.go(() -> execute(key, call, fn));
            } catch (Throwable t) {   // e.g. OutOfMemoryError: unable to create native thread
                finish(key, c, null, t);
            }
        }
        return future;
    }

    /**
     * Forgets the call in flight for {@code key}, if any: later calls run the function again
     * instead of joining it. Callers that already joined it still get its outcome.
     *
     * @param key the key to forget
     * @throws NullPointerException if {@code key} is null
     */
    public void forget(K key) {
        Objects.requireNonNull(key, "key");
        mu.lock();
        try {
            calls.remove(key);
        } finally {
            mu.unlock();
        }
    }

    /** The number of keys with a call in flight; for tests. */
    int inFlight() {
        mu.lock();
        try {
            return calls.size();
        } finally {
            mu.unlock();
        }
    }

    /**
     * The number of callers that joined the call in flight for key (0 if none), not counting
     * interrupted ones that left, but counting cancelled futures until the call ends; for tests.
     */
    int joined(K key) {
        mu.lock();
        try {
            Call<V> c = calls.get(key);
            return c == null ? 0 : c.dups + (c.futures == null ? 0 : c.futures.size());
        } finally {
            mu.unlock();
        }
    }

    // Slow paths

    private Result<V> join(Call<V> c) throws Exception {
        if (c.leader == Thread.currentThread()) {   // only this thread could have written it
            mu.lock();
            try {
                c.dups--;
            } finally {
                mu.unlock();
            }
            throw new IllegalStateException(
                    "singleflight: fn called call() with its own key and would wait for itself");
        }
        try {
            c.wg.await();
        } catch (InterruptedException e) {
            // Leave, or take the outcome: decided under mu, against finish() reading dups. A
            // joiner finish() already counted must not leave, or the leader's shared=true
            // would name a sharer that never got the outcome.
            boolean counted;
            mu.lock();
            try {
                counted = c.finished;
                if (!counted) {
                    c.dups--;   // no longer a sharer
                }
            } finally {
                mu.unlock();
            }
            if (!counted) {
                throw e;
            }
            Thread.currentThread().interrupt();   // keep the interrupt for the caller to see
            // value and failure were written before finish() took mu: visible after our lock
        }
        if (c.failure != null) {
            throw rethrow(c.failure);
        }
        return new Result<>(c.value, true);
    }

    private Result<V> lead(K key, Call<V> c, Callable<? extends V> fn) throws Exception {
        boolean shared = execute(key, c, fn);
        if (c.failure != null) {
            throw rethrow(c.failure);
        }
        return new Result<>(c.value, shared);
    }

    /** Runs fn for call c and publishes its outcome; returns whether it was shared. */
    private boolean execute(K key, Call<V> c, Callable<? extends V> fn) {
        V value = null;
        Throwable failure = null;
        c.leader = Thread.currentThread();
        try {
            value = fn.call();
        } catch (Throwable t) {
            failure = t;
        }
        return finish(key, c, value, failure);
    }

    private boolean finish(K key, Call<V> c, V value, Throwable failure) {
        c.value = value;
        c.failure = failure;
        boolean shared;
        List<CompletableFuture<Result<V>>> futures;
        CompletableFuture<Result<V>> leaderFuture;
        mu.lock();
        try {
            c.wg.done();   // release; pairs with wg.await() in join()
            calls.remove(key, c);
            c.finished = true;   // from here on a joiner in call() cannot leave: it is counted
            shared = c.dups > 0;
            futures = c.futures;
            leaderFuture = c.leaderFuture;
        } finally {
            mu.unlock();
        }
        if (futures != null && publish(futures, value, failure)) {
            shared = true;
        }
        if (leaderFuture != null) {
            if (failure != null) {
                leaderFuture.completeExceptionally(failure);
            } else {
                leaderFuture.complete(new Result<>(value, shared));
            }
        }
        return shared;
    }

    /** Completes the joiners' futures with the outcome; returns whether any of them took it. */
    private static <V> boolean publish(List<CompletableFuture<Result<V>>> futures, V value,
            Throwable failure) {
        Result<V> result = failure == null ? new Result<>(value, true) : null;
        boolean taken = false;
        for (CompletableFuture<Result<V>> f : futures) {
            // One CAS decides this joiner: false if it was cancelled (or completed) first
            if (failure != null ? f.completeExceptionally(failure) : f.complete(result)) {
                taken = true;
            }
        }
        return taken;
    }

    private static Exception rethrow(Throwable t) throws Exception {
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        throw new UndeclaredThrowableException(t);
    }
}
