package dev.gosync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * A set of idle, reusable items that many threads take from and give back to: Go's
 * {@code sync.Pool} for the JVM.
 *
 * <p><b>Go equivalent:</b> {@code sync.Pool}; {@code p.Get()} is {@link #get()},
 * {@code p.Put(x)} is {@link #put}, and Go's {@code New} field is the constructor's supplier.
 * Use it, as in Go, to reuse objects that are expensive to allocate or to clear (large buffers,
 * encoders) across unrelated threads; a free list owned by one short-lived object is better kept
 * in that object. {@code get()} returns an arbitrary idle item, removing it from the pool, or,
 * when it finds none, the supplier's new item (or {@code null} without a supplier). Callers must
 * not assume any relation between the items they put and the items they get: <b>items may
 * vanish at any time</b>. In particular the pool lets idle items go when the garbage collector
 * runs, as Go's does: an item left idle through two collections is dropped. Besides, the pool
 * holds its idle items only softly ({@link SoftReference}), so a collection that would otherwise
 * fail to find memory reclaims them at once: idle items never cause an
 * {@code OutOfMemoryError}. The pool's size is bounded too: when it is full,
 * {@code put} drops the item. (The collector's notices reach the pools through one daemon thread,
 * {@code gosync-pool-collector}, started with the first pool; it sleeps between collections.)
 *
 * <p>Built for many threads, virtual threads included: the fast path touches one of a fixed set
 * of stripes chosen by the calling thread's id, so a million virtual threads share the same few
 * hundred bytes of slots instead of each owning a cache.
 *
 * <p><b>Memory consistency effects:</b> as in Go, actions in a thread before {@code put(x)}
 * happen-before the return of the {@code get()} that returns {@code x}, and the supplier's
 * construction of {@code x} happens-before the return of the {@code get()} that returns it.
 *
 * <p><b>Misuse:</b> {@code put(null)} does nothing, as in Go. Putting an item that is still in
 * use, or putting one item twice, lets two threads get the same item: the pool cannot detect it.
 *
 * <p><b>Progress:</b> {@code get()} and {@code put} never block: each makes a bounded number of
 * atomic operations (lock-free), plus a call of the supplier when the pool is empty.
 *
 * @param <T> the type of items
 */
public final class Pool<T> {
    /*
     * Implementation notes.
     *
     * Layout. A generation is one flat Object[] of STRIPES stripes, each stripe a 128-byte block
     * (STRIDE references with compressed oops) of which the first SLOTS elements hold items and
     * the rest is padding, plus a bounded overflow queue (JCTools' MpmcVarHandleArrayQueue,
     * Unsafe-free), created on first use. Block 0 and the last block are padding too, so no
     * stripe shares a cache line with the array header or a neighbouring object. A thread uses
     * the stripe picked by a Fibonacci hash of its id: consecutive ids (the usual case) land in
     * different stripes, and STRIPES = 2 x the CPU count (a power of two, at most 256) makes two
     * running threads sharing a stripe uncommon. No per-thread state exists, so virtual threads
     * cost nothing; a ThreadLocal cache would cost each of a million virtual threads its own.
     *
     * Slots. put() CASes the first empty slot of its stripe from null to the item; get() swaps
     * the first full slot to null (getAndSet). Each slot access is one atomic instruction on a
     * line the thread usually has to itself, and an item is removed by exactly one getAndSet or
     * one queue poll, which is why no item is ever handed out twice. Go's per-P "private" slot
     * needs no atomic because a goroutine can pin itself to its P; a Java thread cannot, and two
     * threads can share a stripe, so every access is atomic. Scans read a slot (opaque) before
     * writing it, so an empty or full stripe costs reads only.
     *
     * Slow paths. get(): own stripe, then the overflow queue, then the other stripes (stealing,
     * as Go steals from other Ps), then the same three steps on the victim generation, then the
     * supplier. put(): own stripe, then the overflow queue; a full queue drops the item.
     *
     * Release at GC (Go's poolCleanup and victim cache, Go 1.13+). Every pool has two
     * generations, current and victim. One process-wide sentinel object is registered with a
     * Cleaner; it is unreachable from birth, so each collection that processes the young
     * generation finds it dead, and the Cleaner thread then runs cycle() on every live pool and
     * arms a new sentinel. cycle() drops the victim (the items idle since the previous
     * collection), makes the current generation the victim, still served by get(), and leaves
     * the pool without a current one: the next get() or put() makes a fresh, empty generation
     * (renew()), as Go's pinSlow allocates fresh per-P arrays after poolCleanup. So an idle item
     * survives one collection and is released at the second, as in Go.
     *
     * Soft generations. The Cleaner thread runs only after a collection has finished, so the
     * release above comes too late for the collection that needs the memory: the young, full
     * and last-ditch collections of one failing allocation all saw idle items strongly reachable
     * and the JVM threw OutOfMemoryError (PoolOomProbe did, on G1, Serial and Parallel). So the
     * pool reaches each generation only through a SoftReference (fields current and victim),
     * and the JVM clears every soft reference before it throws OutOfMemoryError. Under no
     * pressure they are not cleared (get() and put() keep current recently used, and soft
     * references go least-recently-used first), so the victim scheme still decides when items
     * go. cycle() never holds a generation strongly: it only moves references, because a
     * collection that ran while the Cleaner thread was emptying a generation in place (an
     * earlier version of this fix) found that generation's items strongly reachable from its
     * stack (PoolOomProbe failed about 1 run in 16 on JDK 25 with Parallel GC). The price is
     * one fresh generation per collection per pool in use, allocated lazily: one Object[] of
     * (STRIPES + 2) * 32 references (768 B with 2 CPUs), as Go allocates per P.
     *
     * Races. The writers of current are cycle() and renew(); both CAS, and only from the
     * reference they read: renew() from a cleared one (CLEARED, or one the GC cleared) to a
     * fresh generation, cycle() from the generation it made the victim to CLEARED. So neither
     * undoes the other: if renew() wins, the pool simply has a fresh current. A thread that read
     * a generation just before cycle() or the GC dropped it may still put an item there, which
     * is lost with it (allowed: items may vanish); its own strong reference keeps the
     * generation alive while it uses it. Generations are never reused, so an item is removed by
     * exactly one getAndSet or poll, and never handed out twice.
     *
     * Cost: get() and put() make one Reference.get() (a load plus G1's SATB keep-alive check or
     * ZGC's load barrier, and SoftReference's timestamp check, which writes only after a
     * collection advanced the soft clock) and one dependent load more than a strong field; no
     * allocation outside the first call after a collection. Rejected: a SoftReference per item
     * (an allocation on every put()); per stripe (more references for the GC to process, same
     * barrier); strong generations released from a low-memory listener (MemoryPoolMXBean
     * notifications also arrive after the collection, and not from every collector). Cleaner
     * cost: one sentinel and one Cleaner task per collection, and a few writes per pool.
     *
     * Bounds: each generation holds at most STRIPES * SLOTS items in slots plus the overflow
     * queue's capacity (16 per stripe, at least 64), so a pool that only receives puts stops
     * growing there; see maxIdle().
     */

    /** Item slots per stripe. */
    private static final int SLOTS = 8;
    /** Array elements per stripe: 128 bytes with compressed oops, so stripes never share a line. */
    private static final int STRIDE_SHIFT = 5;
    /** Fibonacci hashing multiplier: 2^64 divided by the golden ratio. */
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** Stripes per generation: a power of two, twice the CPU count, at most 256. */
    private static final int STRIPES = stripeCount(Runtime.getRuntime().availableProcessors());
    /** Turns a 64-bit Fibonacci hash into a stripe number: 64 - log2(STRIPES). */
    private static final int HASH_SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);
    /** Capacity of each generation's overflow queue: a power of two. */
    private static final int OVERFLOW_CAPACITY = Math.max(64, 16 * STRIPES);

    private final Supplier<? extends T> newFn;      // null: get() returns null when empty
    /** A reference to no generation: the pool has none (yet, or since the last cycle()). */
    private static final SoftReference<Generation> CLEARED = new SoftReference<>(null);

    /** Where puts go; changed by CAS only (cycle(), renew()); CLEARED until the first use. */
    private volatile SoftReference<Generation> current = CLEARED;
    /** The previous current, still served by get(); written only by cycle(). */
    private volatile SoftReference<Generation> victim = CLEARED;

    /** Creates an empty pool without a supplier: {@link #get()} returns null when it is empty. */
    public Pool() {
        this.newFn = null;
        Collector.register(this);
    }

    /**
     * Creates an empty pool whose {@link #get()} calls {@code newFn} when it has no idle item
     * (Go's {@code New} field).
     *
     * @param newFn makes a new item; may itself return {@code null}
     * @throws NullPointerException if {@code newFn} is null (use {@link #Pool()} for a pool
     *     without a supplier)
     */
    public Pool(Supplier<? extends T> newFn) {
        this.newFn = Objects.requireNonNull(newFn, "newFn");
        Collector.register(this);
    }

    /**
     * Removes an idle item from the pool and returns it; if there is none, returns the
     * supplier's new item, or {@code null} for a pool without a supplier (Go's {@code Get}).
     * The pool may ignore its idle items and treat itself as empty.
     *
     * @return an item, or {@code null} if the pool is empty and has no supplier (or the
     *     supplier returned {@code null})
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Generation g = generation();
        Object[] s = g.slots;
        int base = stripeBase();
        for (int i = base, end = base + SLOTS; i < end; i++) {
            Object x;
            if (SLOT.getOpaque(s, i) != null && (x = SLOT.getAndSet(s, i, null)) != null) {
                return (T) x;
            }
        }
        return getSlow(g, base);
    }

    /**
     * Adds an item to the pool (Go's {@code Put}); {@code null} is ignored. The pool may drop
     * the item instead, when it is full.
     *
     * @param x the item, which the caller must no longer use
     */
    public void put(T x) {
        if (x == null) {
            return;
        }
        Generation g = generation();
        Object[] s = g.slots;
        int base = stripeBase();
        for (int i = base, end = base + SLOTS; i < end; i++) {
            if (SLOT.getOpaque(s, i) == null && SLOT.compareAndSet(s, i, null, x)) {
                return;
            }
        }
        putSlow(g, x);
    }

    /** The caller's stripe: the index of its first slot. */
    private int stripeBase() {
        @SuppressWarnings("deprecation") // Thread.threadId() needs Java 19; same value
        long id = Thread.currentThread().getId();
        return ((int) ((id * PHI) >>> HASH_SHIFT) + 1) << STRIDE_SHIFT;
    }

    /** The current generation, made afresh if cycle() or the GC cleared it. */
    private Generation generation() {
        Generation g = current.get();
        return g != null ? g : renew();
    }

    /**
     * The pool has no current generation (cycle() ran, or memory ran short and the GC cleared
     * it): installs a fresh, empty one, unless another renew() did so meanwhile.
     */
    private Generation renew() {
        for (;;) {
            SoftReference<Generation> r = current;
            Generation g = r.get();
            if (g != null) {
                return g;
            }
            g = new Generation();
            if (CURRENT.compareAndSet(this, r, new SoftReference<>(g))) {
                return g;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T getSlow(Generation g, int base) {
        Object x = take(g, base);
        if (x == null) {
            Generation v = victim.get();   // null once cleared by the GC
            if (v != null && v != g && !v.drained) {   // v == g: cycle() ran since we read g
                x = take(v, base);
                if (x == null) {
                    v.drained = true;   // hint only; v stays the victim until it is dropped
                }
            }
        }
        if (x != null) {
            return (T) x;
        }
        return newFn == null ? null : newFn.get();
    }

    /** Overflow queue of g, then every stripe of g but the caller's (already scanned). */
    private Object take(Generation g, int base) {
        MpmcVarHandleArrayQueue<Object> q = g.overflow;
        Object x;
        if (q != null && (x = q.relaxedPoll()) != null) {
            return x;
        }
        Object[] s = g.slots;
        int first = 1 << STRIDE_SHIFT;
        int span = STRIPES << STRIDE_SHIFT;
        for (int j = 0; j < span; j += 1 << STRIDE_SHIFT) {
            // Start at the caller's own stripe: g may be the victim, not yet scanned.
            int b = first + (base - first + j) % span;
            for (int i = b, end = b + SLOTS; i < end; i++) {
                if (SLOT.getOpaque(s, i) != null && (x = SLOT.getAndSet(s, i, null)) != null) {
                    return x;
                }
            }
        }
        return null;
    }

    private void putSlow(Generation g, Object x) {
        MpmcVarHandleArrayQueue<Object> q = g.overflow;
        if (q == null) {
            q = new MpmcVarHandleArrayQueue<>(OVERFLOW_CAPACITY);
            if (!OVERFLOW.compareAndSet(g, null, q)) {
                q = g.overflow;   // another put() made it; never reset to null
            }
        }
        q.relaxedOffer(x);    // false when full: x is dropped, which bounds the pool
    }

    /**
     * A collection happened: drop the victim and its items, make the current generation the
     * victim, and leave the next get() or put() to make a fresh current one. Runs on the
     * Collector's thread; tests call it directly.
     */
    void cycle() {
        SoftReference<Generation> cur = current;
        victim = cur;        // the old victim is dropped; both name cur until the CAS below,
                             // and getSlow() skips a victim equal to the current generation
        CURRENT.compareAndSet(this, cur, CLEARED);   // fails only if renew() just installed one
    }

    /**
     * The most items the pool can hold idle: two generations of slots and overflow queues.
     *
     * @return the bound
     */
    int maxIdle() {
        return 2 * (STRIPES * SLOTS + OVERFLOW_CAPACITY);
    }

    private static int stripeCount(int cpus) {
        int n = 2;
        while (n < 2 * cpus && n < 256) {
            n <<= 1;
        }
        return n;
    }

    /** One generation of idle items. */
    private static final class Generation {
        /** Stripes of SLOTS item slots; elements accessed only through SLOT. */
        final Object[] slots;
        /** Items that did not fit in their stripe; created on the first overflow. */
        volatile MpmcVarHandleArrayQueue<Object> overflow;
        /** A get() found this generation empty while it was the victim (a hint). */
        volatile boolean drained;

        Generation() {
            slots = new Object[(STRIPES + 2) << STRIDE_SHIFT];   // padding block at each end
        }
    }

    /**
     * Tells every live pool about each garbage collection: a sentinel that nothing references is
     * registered with a Cleaner, so the Cleaner thread runs {@link #run()} shortly after the
     * next collection finds it dead; {@code run()} cycles every pool and registers a new
     * sentinel. Pools are held weakly, so an unused pool is collected as usual.
     */
    private static final class Collector implements Runnable {
        private static final ConcurrentLinkedQueue<WeakReference<Pool<?>>> POOLS =
                new ConcurrentLinkedQueue<>();
        private static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "gosync-pool-collector");
            t.setDaemon(true);
            return t;
        });

        static {
            arm();
        }

        private Collector() {
        }

        static void register(Pool<?> pool) {
            POOLS.add(new WeakReference<>(pool));
        }

        private static void arm() {
            CLEANER.register(new Object(), new Collector());
        }

        @Override
        public void run() {
            try {
                for (Iterator<WeakReference<Pool<?>>> it = POOLS.iterator(); it.hasNext(); ) {
                    Pool<?> p = it.next().get();
                    if (p == null) {
                        it.remove();
                    } else {
                        p.cycle();
                    }
                }
            } finally {
                arm();
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle OVERFLOW;   // Generation.overflow
    private static final VarHandle CURRENT;    // field "current"
    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(Pool.class, "current",
                    SoftReference.class);
            OVERFLOW = MethodHandles.lookup().findVarHandle(Generation.class, "overflow",
                    MpmcVarHandleArrayQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
