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
     * the rest is padding. Block 0 and the last block are padding too, so no stripe shares a
     * cache line with the array header or a neighbouring object; element 0 (OVERFLOW) holds the
     * generation's bounded overflow queue (JCTools' MpmcVarHandleArrayQueue, Unsafe-free),
     * created on first use. A thread uses the stripe picked by a Fibonacci hash of its id:
     * consecutive ids (the usual case) land in different stripes, and STRIPES = 2 x the CPU
     * count (a power of two, at most 256) makes two running threads sharing a stripe uncommon.
     * No per-thread state exists, so virtual threads cost nothing; a ThreadLocal cache would
     * cost each of a million virtual threads its own.
     *
     * Slots. put() CASes an empty slot of its stripe from null to the item; get() swaps a full
     * slot to null (getAndSet). Each slot access is one atomic instruction on a line the thread
     * usually has to itself, and an item is removed by exactly one getAndSet or one queue poll,
     * which is why no item is ever handed out twice. Go's per-P "private" slot needs no atomic
     * because a goroutine can pin itself to its P; a Java thread cannot, and two threads can
     * share a stripe, so every access is atomic. The slow paths read each slot (opaque) before
     * they write it, so scanning an empty or full stripe costs reads only.
     *
     * Fast paths. get() and put() try only the first slot of the caller's stripe, with the atomic
     * alone (getAndSet, or CAS from null): no read first, since in the common use that slot is full
     * for get() and empty for put(), and a miss goes on to the slow path anyway. Everything else is
     * in getSlow() and putSlow(), out of line, so get() and put() stay under MaxInlineSize (35
     * bytecode bytes) and the compiled fast path is short: this.current, its referent (the slots
     * array), the thread's id, then one atomic on the slot. A thread that holds one item at a time
     * takes and returns it in that slot; one that holds several spills into the rest of its stripe
     * via the slow paths.
     *
     * Slow paths. get(): the rest of its own stripe, then the overflow queue, then the other
     * stripes (stealing, as Go steals from other Ps), then the same steps on the victim
     * generation, then the supplier. put(): the rest of its own stripe, then the overflow queue;
     * a full queue drops the item.
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
     * and last-ditch collections of one failing allocation would all see idle items strongly
     * reachable and the JVM would throw OutOfMemoryError (PoolOomProbe checks it does not). So
     * idle items are reachable only softly: a Generation is a WeakReference to the slots array
     * (and through element OVERFLOW to the overflow queue) that also holds a SoftReference to
     * it (keep). The JVM clears every soft reference before it throws OutOfMemoryError; the
     * array is then only weakly reachable, and the same collection clears the Generation too.
     * Under no pressure soft references are cleared only when older than about one second per
     * free MiB of heap (SoftRefLRUPolicyMSPerMB), and keep is never older than the generation,
     * which lives one collection as current and one as victim; so the victim scheme still
     * decides when items go, and only a nearly full heap with collections seconds apart lets a
     * generation go a collection early. cycle() never holds a slots array strongly: it only moves
     * references. Rejected: emptying a generation in place on the Cleaner thread, because a
     * collection that runs meanwhile finds that generation's items strongly reachable from the
     * Cleaner's stack. The price is one fresh generation per collection per pool in use,
     * allocated lazily: one Object[] of (STRIPES + 2) * 32 references (768 B with 2 CPUs) and two
     * reference objects, as Go allocates per P.
     *
     * Races. The writers of current are cycle() and renew(); both CAS, and only from the
     * generation they read: renew() from a cleared one (CLEARED, or one the GC cleared) to a
     * fresh one, cycle() from the one it made the victim to CLEARED. So neither undoes the
     * other: if renew() wins, the pool simply has a fresh current. A thread that read a slots
     * array just before cycle() or the GC dropped it may still put an item there, which is lost
     * with it (allowed: items may vanish); its own strong reference keeps the array alive while
     * it uses it. Generations are never reused, so an item is removed by exactly one getAndSet
     * or poll, and never handed out twice.
     *
     * Cost: get() and put() try one slot with one atomic each, inline, and the rest of the
     * stripe out of line; no allocation on the fast paths outside the first call after a
     * collection; the Cleaner costs one sentinel and one task per collection and a few writes
     * per pool. (Measured against a JCTools queue pool in PoolBench: see sync-bench/NOTES.md.)
     * Rejected: reading the slots array through keep, because SoftReference.get() also checks
     * (and after a collection writes) its LRU timestamp on every call, while the weak side's
     * get() is a plain Reference.get(). Rejected: put() as a plain release store into a slot
     * read empty, because two racing puts overwrite each other and lose items (each a supplier
     * call later). Rejected: a slot reserved by the getter's Thread, because the type checks it
     * needs ate the gain. Rejected: a SoftReference per item, because it allocates on every
     * put(). Rejected: a SoftReference per stripe, because it gives the GC more references to
     * process. Rejected: strong generations released from a low-memory listener, because
     * MemoryPoolMXBean notifications arrive after the collection, and not from every collector.
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
    /** Index of a generation's overflow queue in its slots array (in the leading padding). */
    private static final int OVERFLOW = 0;

    /** Stripes per generation: a power of two, twice the CPU count, at most 256. */
    private static final int STRIPES = stripeCount(Runtime.getRuntime().availableProcessors());
    /** Turns a 64-bit Fibonacci hash into a stripe number: 64 - log2(STRIPES). */
    private static final int HASH_SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);
    /** Capacity of each generation's overflow queue: a power of two. */
    private static final int OVERFLOW_CAPACITY = Math.max(64, 16 * STRIPES);

    /** A generation that holds no slots: the pool has none (yet, or since the last cycle()). */
    private static final Generation CLEARED = new Generation(null);

    private final Supplier<? extends T> newFn;      // null: get() returns null when empty

    /** Where puts go; changed by CAS only (cycle(), renew()); CLEARED until the first use. */
    private volatile Generation current = CLEARED;
    /** The previous current, still served by get(); written only by cycle(). */
    private volatile Generation victim = CLEARED;

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
        Object[] s = slots();
        int i = stripeBase();
        Object x = SLOT.getAndSet(s, i, null);   // no read first: see the notes on cost
        return (T) (x != null ? x : getSlow(s, i));
    }

    /**
     * Adds an item to the pool (Go's {@code Put}); {@code null} is ignored. The pool may drop
     * the item instead, when it is full.
     *
     * @param x the item, which the caller must no longer use
     */
    public void put(T x) {
        if (x != null) {
            Object[] s = slots();
            int i = stripeBase();
            if (!SLOT.compareAndSet(s, i, null, x)) {
                putSlow(s, i, x);
            }
        }
    }

    /** Empties slot i of s if it is full; returns its item, or null if it was empty. */
    private static Object takeSlot(Object[] s, int i) {
        return SLOT.getOpaque(s, i) == null ? null : SLOT.getAndSet(s, i, null);
    }

    /** Stores x in slot i of s if the slot is empty; returns whether it did. */
    private static boolean putSlot(Object[] s, int i, Object x) {
        return SLOT.getOpaque(s, i) == null && SLOT.compareAndSet(s, i, null, x);
    }

    /** The caller's stripe: the index of its first slot. */
    private static int stripeBase() {
        @SuppressWarnings("deprecation") // Thread.threadId() needs Java 19; same value
        long id = Thread.currentThread().getId();
        return ((int) ((id * PHI) >>> HASH_SHIFT) + 1) << STRIDE_SHIFT;
    }

    /** The current generation's slots, made afresh if cycle() or the GC cleared them. */
    private Object[] slots() {
        Object[] s = current.get();
        return s != null ? s : renew();
    }

    /**
     * The pool has no current generation (cycle() ran, or memory ran short and the GC cleared
     * it): installs a fresh, empty one, unless another renew() did so meanwhile.
     */
    private Object[] renew() {
        for (;;) {
            Generation r = current;
            Object[] s = r.get();
            if (s != null) {
                return s;
            }
            s = new Object[(STRIPES + 2) << STRIDE_SHIFT];   // padding block at each end
            if (CURRENT.compareAndSet(this, r, new Generation(s))) {
                return s;
            }
        }
    }

    /** The fast path found no item in the first slot of stripe base of s. */
    private Object getSlow(Object[] s, int base) {
        Object x = take(s, base);
        if (x == null) {
            Generation vg = victim;
            Object[] v = vg.get();   // null before the first cycle(), or if the GC cleared it
            if (v != null && v != s && !vg.drained) {   // v == s: cycle() ran since we read s
                x = take(v, base);
                if (x == null) {
                    vg.drained = true;   // hint only; vg stays the victim until it is dropped
                }
            }
        }
        if (x != null) {
            return x;
        }
        return newFn == null ? null : newFn.get();
    }

    /** An item of s: from stripe base, else the overflow queue, else any other stripe. */
    private static Object take(Object[] s, int base) {
        Object x = takeFromStripe(s, base);
        if (x != null) {
            return x;
        }
        MpmcVarHandleArrayQueue<Object> q = overflow(s);
        if (q != null && (x = q.relaxedPoll()) != null) {
            return x;
        }
        int first = 1 << STRIDE_SHIFT;
        int span = STRIPES << STRIDE_SHIFT;
        for (int j = 1 << STRIDE_SHIFT; j < span; j += 1 << STRIDE_SHIFT) {
            if ((x = takeFromStripe(s, first + (base - first + j) % span)) != null) {
                return x;
            }
        }
        return null;
    }

    /** Empties the first full slot of the stripe at b and returns its item; null if none. */
    private static Object takeFromStripe(Object[] s, int b) {
        for (int i = b, end = b + SLOTS; i < end; i++) {
            Object x = takeSlot(s, i);
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    /** The fast path found the first slot of stripe base of s full. */
    private static void putSlow(Object[] s, int base, Object x) {
        for (int i = base + 1, end = base + SLOTS; i < end; i++) {
            if (putSlot(s, i, x)) {
                return;
            }
        }
        MpmcVarHandleArrayQueue<Object> q = overflow(s);
        if (q == null) {
            q = new MpmcVarHandleArrayQueue<>(OVERFLOW_CAPACITY);
            Object w = SLOT.compareAndExchange(s, OVERFLOW, null, q);
            if (w != null) {
                q = queue(w);   // another put() made it; never reset to null
            }
        }
        q.relaxedOffer(x);    // false when full: x is dropped, which bounds the pool
    }

    /** The overflow queue of s, or null if no put() has needed it yet. */
    private static MpmcVarHandleArrayQueue<Object> overflow(Object[] s) {
        Object q = SLOT.getAcquire(s, OVERFLOW);   // acquire; pairs with the CAS in putSlow()
        return q == null ? null : queue(q);
    }

    @SuppressWarnings("unchecked")
    private static MpmcVarHandleArrayQueue<Object> queue(Object q) {
        return (MpmcVarHandleArrayQueue<Object>) q;
    }

    /**
     * A collection happened: drop the victim and its items, make the current generation the
     * victim, and leave the next get() or put() to make a fresh current one. Runs on the
     * Collector's thread; tests call it directly.
     */
    void cycle() {
        Generation cur = current;
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

    /**
     * One generation of idle items, reached only softly: its referent is the slots array,
     * STRIPES stripes of SLOTS item slots between padding blocks, with the overflow queue (made
     * on the first overflow) at index OVERFLOW; elements are accessed only through SLOT. The
     * referent is held weakly by this object and softly by keep, so it is softly reachable
     * and both are cleared together; get() and put() read it through the weak side, whose
     * get() is a plain Reference.get() (see the notes on cost).
     */
    private static final class Generation extends WeakReference<Object[]> {
        /** Keeps the slots array softly reachable; never read. */
        private final SoftReference<Object[]> keep;
        /** A get() found this generation empty while it was the victim (a hint). */
        volatile boolean drained;

        Generation(Object[] slots) {
            super(slots);
            keep = slots == null ? null : new SoftReference<>(slots);
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
    private static final VarHandle CURRENT;    // field "current"
    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(Pool.class, "current",
                    Generation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
