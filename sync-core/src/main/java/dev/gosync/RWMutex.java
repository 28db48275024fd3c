package dev.gosync;

import dev.gosync.internal.HoldTimes;
import dev.gosync.internal.Hooks;
import dev.gosync.internal.LockInfo;
import dev.gosync.internal.LockOrder;
import dev.gosync.internal.LockWaitEvent;
import dev.gosync.internal.ReaderBias;
import dev.gosync.internal.Sema;
import dev.gosync.internal.Spin;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A reader/writer mutual-exclusion lock with writer preference, neither reentrant nor owned by
 * a thread: any number of readers or one writer.
 *
 * <p><b>Go equivalent:</b> {@code sync.RWMutex}. {@code try (var held = rw.rLocked()) { ... }}
 * is {@code rw.RLock(); defer rw.RUnlock()} and {@code try (var held = rw.locked())} is
 * {@code rw.Lock(); defer rw.Unlock()}; both guards are cached objects (no allocation).
 * {@link #rLocker()} is Go's {@code RLocker()}; {@link #readLock()} and {@link #writeLock()}
 * are the {@link ReadWriteLock} views of the same lock.
 *
 * <p><b>Writer preference:</b> once a writer is waiting, new {@code rLock} calls block and
 * {@code tryRLock} fails until that writer has acquired and released the lock, so a stream of
 * readers cannot starve a writer; readers that already hold the lock are not disturbed and
 * release it normally. Readers that queued during a write are admitted before the next writer.
 * Writers queue on an internal {@link Mutex}, so writer fairness is Mutex fairness (starvation
 * mode included). As in Go, recursive read locking can deadlock (when a writer queues between
 * the two {@code rLock} calls), and a read lock cannot be upgraded nor a write lock downgraded.
 *
 * <p><b>Memory consistency effects:</b> actions before an {@code unlock()} happen-before the
 * return of every later {@code lock()}, {@code rLock()} or successful {@code tryLock()} /
 * {@code tryRLock()}; actions before an {@code rUnlock()} happen-before the return of the next
 * {@code lock()} or successful {@code tryLock()}. Readers create no edges among themselves. A
 * failed try creates no edge. (jcstress: {@code RWMutexStress.WriterHappensBeforeReader},
 * {@code RWMutexStress.ReaderUnlockHappensBeforeWriter}, {@code
 * RWMutexStress.ReadersExcludeWriter}, {@code RWMutexStress.TryRLockFailsWhileWriting}; for the
 * bias owner's fast path, {@code RWMutexStress.BiasedReaderSeesWholeWrite} and {@code
 * RWMutexStress.BiasedReaderExcludesWriter}.)
 *
 * <p><b>Misuse:</b> {@code rUnlock()} without a read lock held throws {@code
 * IllegalStateException("sync: RUnlock of unlocked RWMutex")}; {@code unlock()} without the
 * write lock held throws {@code IllegalStateException("sync: Unlock of unlocked RWMutex")};
 * more than 2<sup>30</sup>&nbsp;-&nbsp;1 simultaneous readers (Go's {@code rwmutexMaxReaders}
 * bound; the bias owner's fast-path read lock can make it one more) throws {@code
 * IllegalStateException} instead of overflowing. Each changes nothing and leaves the lock
 * usable. Detection is exact when no reader holds the lock; an extra {@code rUnlock} while
 * other readers hold it is indistinguishable from theirs (as in Go), and one racing the bias
 * owner's own {@code rLock} or {@code rUnlock} may also pass unreported, but the count stays
 * exact: the owner's read locks still exclude writers.
 *
 * <p><b>Interruption and time-outs:</b> {@code lock()} and {@code rLock()} are not
 * interruptible (Go's). {@link #lockInterruptibly()}, {@link #tryLock(Duration)},
 * {@link #rLockInterruptibly()}, {@link #tryRLock(Duration)} and the views' interruptible and
 * timed forms give up cleanly: a writer that gives up while readers drain withdraws its claim
 * and admits the readers that queued behind it.
 *
 * <p><b>Reader bias:</b> the lock is biased towards the first thread that read-locks it: that
 * thread's {@code rLock} is one volatile write to a record of its own and its {@code rUnlock} a
 * release store, with no CAS on the shared state word (nothing shared bounces between the
 * owner and other readers). Other threads' read locks take the shared path, one CAS each way.
 * A writer revokes the bias, waits for the owner's read lock, and enables the bias again when
 * it unlocks; a record whose owner has died is dropped by the next writer, and the next reader
 * takes the bias. The owner's nested read locks, and its read locks while a writer waits, take
 * the shared path. None of this changes the semantics above: any thread may {@code rUnlock} a
 * read lock the owner took.
 *
 * <p><b>Progress:</b> {@code rLock}/{@code rUnlock} are one volatile write and one release
 * store for the bias owner and one CAS each for other readers when no writer is involved;
 * {@code lock} and {@code rLock} block (park; never {@code synchronized}, so a virtual thread
 * does not pin its carrier); {@code tryLock} and {@code tryRLock} never block;
 * {@code unlock} and {@code rUnlock} never park.
 */
public final class RWMutex implements Locker, ReadWriteLock {
    /*
     * Implementation notes.
     *
     * Go's rwmutex.go: a writer Mutex serialises writers; readerCount counts readers and
     * drops by MAX_READERS while a writer is pending or active, so a reader that sees it
     * negative sleeps on readerSem (writer preference); readerWait counts the readers that
     * held the lock when the writer announced itself, and the last of them to leave wakes
     * the writer on writerSem. unlock() restores readerCount and releases one readerSem
     * permit per reader that queued meanwhile.
     *
     * One difference: readerCount and readerWait share one 64-bit word, so a departing reader
     * updates both in one CAS and a writer announces itself (readerCount -= MAX, readerWait
     * = active readers) in one CAS. Go needs two atomics and tolerates readerWait going
     * transiently negative; with one word, a writer that times out or is interrupted while
     * readers drain can withdraw atomically (readerCount += MAX, readerWait = 0): either it
     * wins that CAS, and no reader will release writerSem for it, or the last reader already
     * left (readerWait == 0), and the writer takes the permit on its way and owns the lock.
     * It also makes misuse detection exact: with a writer pending, the active readers are
     * exactly readerWait.
     *
     * Timed and interruptible readers do not queue on readerSem (a reader that left it could
     * not tell whose permit it is owed). They pass through the writer Mutex instead: holding
     * it for a moment guarantees no writer is active, so the reader can enter, and queueing
     * on it puts the reader behind every waiting writer, which keeps writer preference.
     *
     * One addition: before sleeping on readerSem or writerSem, a waiter polls the Sema with
     * tryAcquire for a short while (multi-core only). The permit it waits for is usually
     * moments away (the writer's or the last reader's critical section is short), and a
     * park/unpark round trip costs microseconds (without the poll, RWMutexContendedBench's
     * 90/10 mix was several times slower: sync-bench/NOTES.md). Taking a permit by tryAcquire is
     * the same transition acquire() makes, so nothing else changes.
     *
     * The reader bias (a single-owner form of biased reader-writer locking; Dice and Kogan's
     * BRAVO is the table-based, many-owner form): a ReaderBias record (internal package)
     * lets one thread read without touching the state word. Its rLock writes its hold count
     * (volatile) and then reads the record's revoked flag; a writer writes revoked (volatile)
     * and then reads the hold count; sequential consistency of volatiles means at least one
     * sees the other, so either the owner backs out to the shared path or the writer waits
     * for its hold. Its rUnlock is a release store, which a polling writer reads (see
     * ReaderBias.awaitNoHolds for why it polls). Three rules keep it sound:
     *   - the writer reads `bias` only after it owns the state word (CAS 0 -> WRITER, or the
     *     last reader's writerSem permit); it also revokes earlier, before announcing, but
     *     only for writer preference. A record is installed only by a thread that holds a
     *     shared read lock, so it is visible to that later read, and none can be installed
     *     while a writer holds the state word (jcstress BiasedReaderExcludesWriter failed
     *     while the writer's fast path read `bias` before its CAS);
     *   - the owner's release needs no atomic: another thread that rUnlocks when no shared
     *     hold is left releases the owner's hold "by proxy" with a CAS of holds from 1 to 0,
     *     the check and the write in one step, and the owner's own writes either start from
     *     0 (which only the owner leaves) or store the same 0, so holds is exact whatever
     *     races with what, and there is no proxy count to settle (ReaderBias's notes);
     *   - the fast path is one deep (holds is 0 or 1): it keeps the reader limit within one
     *     hold and lets the owner's release tell its fast-path hold from its shared-path
     *     ones.
     * The cost moves to writers: a revocation (one volatile write, two reads) per write lock
     * and a release store to re-enable.
     *
     * Errors on the way in: a call that throws (an OutOfMemoryError, say) holds nothing and
     * leaves nothing counted. A waiter's Waiter is allocated before the CAS that counts it in
     * (a queued reader in rLockSlow, the writer's announcement in announceWriter), and only on
     * those paths, so the fast paths allocate nothing new. What a writer has taken before it
     * can fail is given back before the error leaves: w (writerWaiter), or the whole lock when
     * the bias wait fails to set up (drainBias, awaitBias). The first reader's bias record is
     * allocated while it holds its read lock, which it gives back if that fails
     * (installBias). Each undo runs only code that the lock's ordinary use has run before, so
     * it allocates nothing itself (a first run links VarHandle call sites, which allocates).
     * RegistrationOomTest fills the heap before each such call.
     *
     * Diagnostics hook: lockSlow(), rLockSlow(), the timed paths and the Semas (which report
     * this RWMutex as the parked thread's blocker) and ReaderBias's waits are the only places
     * that wait; a lock-order check or JFR contention event attaches there, never on the
     * fast paths.
     *
     * State word (long; changed only through STATE):
     *   bits  0..31  readerCount (signed int): readers holding or queued for the lock, minus
     *                MAX_READERS while a writer is pending or holds it
     *   bits 32..63  readerWait (int): readers the pending writer still waits for; zero
     *                whenever readerCount >= 0
     */
    static final int MAX_READERS = 1 << 30;
    /** JFR LockWait kinds: a writer's waits (for w, then for readers) and a reader's. */
    static final String WRITER_KIND = "RWMutex.lock";
    private static final String READER_KIND = "RWMutex.rLock";
    private static final long READERS = 0xFFFF_FFFFL;          // mask of readerCount
    private static final long WRITER = (-MAX_READERS) & READERS; // a writer, no reader

    private volatile long state;
    private final Mutex w;                              // held by the writer; orders writers
    private final Sema writerSem = new Sema(this);     // the writer waits for readers to leave
    private final Sema readerSem = new Sema(this);     // readers wait for the writer to leave
    /**
     * The bias record: the one thread whose read locks skip the state word; null until the
     * first shared read lock installs it. Replaced (by a writer) only when its owner has died.
     */
    private volatile ReaderBias bias;

    private final Held writeHeld = this::unlock;
    private final ReadView readView = new ReadView();
    private final WriteView writeView = new WriteView();
    private final String name;                          // for toString and diagnostics; or null
    private final LockInfo lockInfo;                    // the lock-order checker's; null when off
    private final HoldTimes writeHolds;                 // hold-time recorders; null unless on
    private final HoldTimes readHolds;                  // and named

    /** Creates an unlocked RWMutex (Go's zero value). */
    public RWMutex() {
        this.name = null;
        this.w = new Mutex(null, WRITER_KIND);  // internal: the checker sees this RWMutex, not w
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, null, "RWMutex") : null;
        if (LockOrder.ON) LockOrder.writerMutex(w, lockInfo);   // for the deadlock watchdog
        this.writeHolds = null;
        this.readHolds = null;
    }

    /**
     * Creates an unlocked RWMutex with a name, which {@link #toString()} shows and which names
     * it in diagnostics. The internal mutex that orders writers is named
     * {@code name + ".writer"}, so a writer parked there shows it too.
     *
     * @param name what the lock guards, for example {@code "routes"}
     * @throws NullPointerException if {@code name} is null
     */
    public RWMutex(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.w = new Mutex(name + ".writer", WRITER_KIND);
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, name, "RWMutex") : null;
        if (LockOrder.ON) LockOrder.writerMutex(w, lockInfo);   // for the deadlock watchdog
        this.writeHolds = HoldTimes.of(name);
        this.readHolds = HoldTimes.of(name + HoldTimes.READ_SUFFIX);
    }

    /**
     * The name given at construction.
     *
     * @return the name, or null for an RWMutex made with {@code new RWMutex()}
     */
    public String name() {
        return name;
    }

    // Fast paths: readers

    /**
     * Locks for reading, waiting while a writer holds the lock or waits for it. Not
     * interruptible.
     *
     * @throws IllegalStateException if 2<sup>30</sup>&nbsp;-&nbsp;1 readers already hold or
     *     wait for the lock
     */
    public void rLock() {
        ReaderBias b = bias;    // always null while a diagnostic hook is on
        if (b == null || b.owner() != Thread.currentThread() || !b.acquire()) {
            rLockShared(b);     // not the bias owner, a writer is involved, or a nested hold
        }
    }

    /** The shared read path: one CAS on the state word; installs the bias record if none. */
    private void rLockShared(ReaderBias b) {
        Object held = LockOrder.ON ? LockOrder.checkRead(lockInfo) : null;  // may throw first
        long s = state;
        // s < MAX_READERS - 2 exactly when no writer is involved (readerCount >= 0, so
        // readerWait == 0 and s == readerCount) and the reader limit is not near (one hold
        // is kept in reserve for the bias owner's fast path).
        if (s >= MAX_READERS - 2 || !STATE.compareAndSet(this, s, s + 1)) {
            rLockSlow();    // a writer is involved, the limit is near, or the CAS lost
        }
        if (Hooks.ON) {
            if (LockOrder.ON) LockOrder.rLocked(held, lockInfo);
            if (HoldTimes.ON) readHoldStart();
            return;         // no bias with hooks on: every read lock passes them
        }
        if (b == null) {
            installBias();  // while we hold a shared read lock: no writer can be active
        }
    }

    /**
     * Locks for reading if no writer holds the lock or waits for it; never waits.
     *
     * @return true if a read lock was taken
     * @throws IllegalStateException at the reader limit (2<sup>30</sup>&nbsp;-&nbsp;1)
     */
    public boolean tryRLock() {
        boolean ok = tryRLockFast();
        if (LockOrder.ON && ok) LockOrder.rLocked(lockInfo, true);
        if (HoldTimes.ON && ok) readHoldStart();
        return ok;
    }

    private boolean tryRLockFast() {
        for (;;) {
            long s = state;
            int rc = (int) s;
            if (rc < 0) {
                return false;
            }
            if (rc >= MAX_READERS - 2 && rc + biasHolds() >= MAX_READERS - 1) {
                throw tooManyReaders();
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return true;
            }
        }
    }

    /**
     * Undoes one {@code rLock}; any thread may call it.
     *
     * @throws IllegalStateException if no read lock is held ("sync: RUnlock of unlocked
     *     RWMutex"); nothing is changed
     */
    public void rUnlock() {
        ReaderBias b = bias;
        if (b == null || b.owner() != Thread.currentThread() || !b.release()) {
            rUnlockShared();    // not the bias owner, or it holds no fast-path read lock
        }
    }

    /** The shared read release: one CAS on the state word. */
    private void rUnlockShared() {
        long s = state;
        if ((int) s <= 0 || !STATE.compareAndSet(this, s, s - 1)) {
            rUnlockSlow();  // a writer waits, misuse, a proxy release, or the CAS lost
        }
        if (LockOrder.ON) LockOrder.rUnlock(lockInfo);  // after: a misuse has thrown
        if (HoldTimes.ON && readHolds != null) readHolds.readStop();
    }

    /**
     * Locks for reading and returns the guard that unlocks it: Go's {@code rw.RLock(); defer
     * rw.RUnlock()}. The guard is one cached object.
     *
     * @return the guard; its {@code close()} calls {@link #rUnlock()}
     */
    public Held rLocked() {
        rLock();
        return readView.held;
    }

    /**
     * Locks for reading unless interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting (no lock taken)
     */
    public void rLockInterruptibly() throws InterruptedException {
        rLockTimed(WaitMode.INTERRUPTIBLE, 0L);
    }

    /**
     * Locks for reading if possible within {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative only tries
     * @return true if a read lock was taken
     * @throws InterruptedException if interrupted on entry or while waiting (no lock taken)
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryRLock(Duration timeout) throws InterruptedException {
        return rLockTimed(WaitMode.TIMED, Timeouts.nanos(Objects.requireNonNull(timeout, "timeout")));
    }

    // Fast paths: the writer

    /**
     * Locks for writing, waiting until no other writer and no reader holds the lock. New
     * readers are held off from the moment this call starts waiting for readers. Not
     * interruptible.
     */
    @Override
    public void lock() {
        if (Hooks.ON) {
            lockChecked();
            return;
        }
        w.lock();
        if (!STATE.compareAndSet(this, 0L, WRITER)) {
            lockSlow();     // readers hold the lock: announce and wait for them
        }
        // Only now: a bias installed before our CAS is visible; none can be installed after.
        ReaderBias b = bias;
        if (b != null) {
            drainBias(b);
        }
    }

    /** lock() with a diagnostic hook on: there is no bias to drain. */
    private void lockChecked() {
        Object held = LockOrder.ON ? LockOrder.check(lockInfo) : null;  // may throw first
        w.lock();
        if (!STATE.compareAndSet(this, 0L, WRITER)) {
            lockSlow();
        }
        if (LockOrder.ON) LockOrder.locked(held, lockInfo);
        if (HoldTimes.ON) writeHoldStart();
    }

    /** Hold-time recording (named locks only): a write hold begins. */
    private void writeHoldStart() {
        if (writeHolds != null) {
            writeHolds.start();
        }
    }

    /** Hold-time recording (named locks only): a read hold by this thread begins. */
    private void readHoldStart() {
        if (readHolds != null) {
            readHolds.readStart();
        }
    }

    /**
     * Locks for writing if neither a writer nor a reader holds the lock; never waits.
     *
     * @return true if the write lock was taken
     */
    public boolean tryLock() {
        boolean ok = tryLockFast();
        if (LockOrder.ON && ok) LockOrder.locked(lockInfo, true);
        if (HoldTimes.ON && ok) writeHoldStart();
        return ok;
    }

    private boolean tryLockFast() {
        if (!w.tryLock()) {
            return false;
        }
        if (!STATE.compareAndSet(this, 0L, WRITER)) {
            w.unlock();
            return false;
        }
        ReaderBias b = bias;      // only now: see lock()
        if (b != null) {
            b.revoke();
            if (b.holds() != 0) {
                unlock();   // the bias owner holds a read lock: give the lock back
                return false;
            }
        }
        return true;
    }

    /**
     * Unlocks for writing and admits the readers that queued meanwhile; any thread may call
     * it.
     *
     * @throws IllegalStateException if the write lock is not held ("sync: Unlock of unlocked
     *     RWMutex"); nothing is changed
     */
    @Override
    public void unlock() {
        if (Hooks.ON || !STATE.compareAndSet(this, WRITER, 0L)) {
            unlockOther();  // readers queued meanwhile, misuse, or a diagnostic hook
            return;
        }
        releaseWriter();
    }

    /** After the CAS WRITER → 0: lets the bias owner's fast path and the next writer in. */
    private void releaseWriter() {
        enableBias();
        w.unlock();
    }

    /** unlock() when not the plain fast case; the diagnostics' hooks run before the release. */
    private void unlockOther() {
        if (Hooks.ON) {
            if (LockOrder.ON) LockOrder.unlock(lockInfo);
            if (HoldTimes.ON && writeHolds != null) writeHolds.stop();  // nothing if not held
            if (STATE.compareAndSet(this, WRITER, 0L)) {
                releaseWriter();
                return;
            }
        }
        unlockSlow();       // readers queued meanwhile, or misuse
    }

    /**
     * Locks for writing and returns the guard that unlocks it: Go's {@code rw.Lock(); defer
     * rw.Unlock()}. The guard is one cached object.
     *
     * @return the guard; its {@code close()} calls {@link #unlock()}
     */
    @Override
    public Held locked() {
        lock();
        return writeHeld;
    }

    /**
     * Locks for writing unless interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting (no lock taken;
     *     readers held off meanwhile are admitted)
     */
    public void lockInterruptibly() throws InterruptedException {
        lockTimed(WaitMode.INTERRUPTIBLE, 0L);
    }

    /**
     * Locks for writing if possible within {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative only tries
     * @return true if the write lock was taken
     * @throws InterruptedException if interrupted on entry or while waiting (no lock taken)
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return lockTimed(WaitMode.TIMED, Timeouts.nanos(Objects.requireNonNull(timeout, "timeout")));
    }

    // Views

    /**
     * A Locker whose {@code lock}/{@code unlock} are {@link #rLock()}/{@link #rUnlock()}: Go's
     * {@code RLocker()}. It is the same object as {@link #readLock()}.
     *
     * @return the read-side Locker
     */
    public Locker rLocker() {
        return readView;
    }

    /**
     * The read lock as a {@link Lock} (also a {@link Locker}); its {@code newCondition()}
     * returns a {@link Cond} on the read lock.
     *
     * @return the read-lock view
     */
    @Override
    public Lock readLock() {
        return readView;
    }

    /**
     * The write lock as a {@link Lock} (also a {@link Locker}); its {@code newCondition()}
     * returns a {@link Cond} on the write lock.
     *
     * @return the write-lock view
     */
    @Override
    public Lock writeLock() {
        return writeView;
    }

    // Monitoring

    /**
     * Whether a writer holds the lock or waits for readers to leave. Monitoring only.
     *
     * @return true if a writer is pending or active
     */
    public boolean isWriteLocked() {
        return (int) state < 0;
    }

    /**
     * Number of readers holding the lock. Monitoring only (racy); while a writer is active
     * it counts no queued reader.
     *
     * @return the number of active readers
     */
    public int readerCount() {
        long s = state;
        int rc = (int) s;
        return (rc >= 0 ? rc : (int) (s >>> 32)) + biasHolds();
    }

    @Override
    public String toString() {
        long s = state;
        int rc = (int) s;
        int biased = biasHolds();
        return "RWMutex[" + (name != null ? name + ", " : "") + (rc < 0 ? "writer, readers=" + ((int) (s >>> 32) + biased)
                + ", queued readers=" + (rc + MAX_READERS - (int) (s >>> 32))
                : "readers=" + (rc + biased)) + "]";
    }

    /** Tests only: the thread the fast read path is biased towards, or null. */
    Thread biasOwner() {
        ReaderBias b = bias;
        return b == null ? null : b.owner();
    }

    /** Tests only: a mutex that already has {@code readers} read locks held. */
    static RWMutex withReaders(int readers) {
        RWMutex rw = new RWMutex();
        rw.state = readers;
        return rw;
    }

    // Slow paths: readers

    private void rLockSlow() {
        Waiter node = null;     // for readerSem; allocated before we count ourselves as queued
        for (;;) {
            long s = state;
            int rc = (int) s;
            if ((rc < 0 ? rc + MAX_READERS : rc) + biasHolds() >= MAX_READERS - 1) {
                throw tooManyReaders();
            }
            if (rc + 1 < 0 && node == null) {
                node = new Waiter();    // an OutOfMemoryError here leaves no phantom reader
            }
            // Transition: count ourselves; if a writer is pending or active, queue.
            if (STATE.compareAndSet(this, s, (s & ~READERS) | ((rc + 1) & READERS))) {
                if (rc + 1 < 0) {
                    // Diagnostics hook: a reader waits for a writer.
                    pollThenAcquire(readerSem, node);
                }
                return;
            }
        }
    }

    private void rUnlockSlow() {
        for (;;) {
            long s = state;
            int rc = (int) s;
            int rw = (int) (s >>> 32);
            if (rc > 0) {
                if (STATE.compareAndSet(this, s, s - 1)) {
                    return;
                }
                continue;
            }
            if (rc == 0 || rw == 0) {
                // No shared hold is left: release one of the bias owner's fast-path holds on
                // its behalf (Go lets any goroutine RUnlock), or it is misuse.
                ReaderBias b = bias;
                if (b != null && b.releaseByProxy()) {
                    return;
                }
                throw new IllegalStateException("sync: RUnlock of unlocked RWMutex");
            }
            // Transition: a writer waits for us; leave both counts in one CAS.
            long next = ((long) (rw - 1) << 32) | ((rc - 1) & READERS);
            if (STATE.compareAndSet(this, s, next)) {
                if (rw == 1) {
                    writerSem.release();   // the last reader wakes the writer
                }
                return;
            }
        }
    }

    private boolean rLockTimed(WaitMode mode, long nanos) throws InterruptedException {
        boolean waits = mode != WaitMode.TIMED || nanos > 0L;
        if (LockOrder.ON && waits) {
            LockOrder.rLock(lockInfo, mode == WaitMode.TIMED);  // may throw, before any change
        }
        boolean ok = rLockTimedUnchecked(mode, nanos);
        if (LockOrder.ON && ok) LockOrder.rLocked(lockInfo, !waits);
        if (HoldTimes.ON && ok) readHoldStart();
        return ok;
    }

    private boolean rLockTimedUnchecked(WaitMode mode, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryRLockFast()) {
            return true;
        }
        // Queue behind the writers on w; holding w, no writer is active, so we may enter.
        if (mode == WaitMode.TIMED) {
            if (!w.tryLockNanos(nanos)) {
                return false;
            }
        } else {
            w.lockInterruptibly();
        }
        try {
            rLockSlow();    // readerCount >= 0 while we hold w: never queues
        } finally {
            w.unlock();
        }
        return true;
    }

    // Slow paths: the writer

    /** Holding w, with readers active: announce the writer and wait for them to leave. */
    private void lockSlow() {
        Waiter node = announceWriter();
        if (node != null) {
            // Diagnostics hook: a writer waits for readers.
            pollThenAcquire(writerSem, node);
        }
    }

    /**
     * Takes a permit of {@code sema}: polls briefly, then sleeps (uninterruptibly) on
     * {@code node}, which the caller allocated before it published that it waits.
     */
    private void pollThenAcquire(Sema sema, Waiter node) {
        for (int i = 0; i < Spin.POLLS; i++) {
            if (sema.tryAcquire()) {
                return;
            }
            Thread.onSpinWait();
        }
        LockWaitEvent wait = new LockWaitEvent();   // JFR: off unless a recording enables it
        wait.begin();
        sema.acquire(node, false);
        waited(wait, sema == readerSem ? READER_KIND : WRITER_KIND, Waiter.GRANTED);
    }

    /** Commits a JFR LockWait event if a recording wants it. */
    private void waited(LockWaitEvent wait, String kind, int outcome) {
        if (wait.finish(this, name, outcome, "acquired")) {
            wait.kind = kind;
            wait.commit();
        }
    }

    /**
     * Holding w: revokes the bias (the owner's fast path fails from now on: writer preference)
     * and announces the writer. Returns the waiter to wait for the readers on writerSem with,
     * or null if no reader was active (the writer then owns the state word).
     *
     * <p>The waiter is allocated before the announcement, and before the revocation when
     * readers are already active (as they nearly always are here), so that an
     * OutOfMemoryError leaves no pending writer behind: see writerWaiter().
     */
    private Waiter announceWriter() {
        Waiter node = (int) state != 0 ? writerWaiter(false) : null;
        revokeBias();
        int readers;
        while ((readers = announce(node)) < 0) {
            node = writerWaiter(true);  // readers came in meanwhile
        }
        return readers != 0 ? node : null;
    }

    /**
     * Holding w, before announcing: a new waiter for writerSem. If the allocation throws
     * (OutOfMemoryError), gives back what the writer took so far, the revocation of the bias
     * (if {@code revoked}) and w, before rethrowing: a lock call that throws holds nothing.
     * Without {@code revoked} the undo is only w.unlock(), whose fast path allocates nothing
     * even on its first run.
     */
    private Waiter writerWaiter(boolean revoked) {
        try {
            return new Waiter();
        } catch (Throwable t) {
            if (revoked) {
                enableBias();
            }
            w.unlock();
            throw t;
        }
    }

    /**
     * Transition: readerCount -= MAX, readerWait = active readers. Returns that number; or -1,
     * announcing nothing, if readers are active and the caller has no {@code node} (its
     * waiter for writerSem) yet: it allocates one and calls again.
     */
    private int announce(Waiter node) {
        for (;;) {
            long s = state;
            int rc = (int) s;       // >= 0: we hold w, so no other writer is pending
            if (rc != 0 && node == null) {
                return -1;
            }
            long next = ((long) rc << 32) | ((rc - MAX_READERS) & READERS);
            if (STATE.compareAndSet(this, s, next)) {
                return rc;
            }
        }
    }

    private boolean lockTimed(WaitMode mode, long nanos) throws InterruptedException {
        boolean waits = mode != WaitMode.TIMED || nanos > 0L;
        if (LockOrder.ON && waits) {
            LockOrder.lock(lockInfo, mode == WaitMode.TIMED);   // may throw, before any change
        }
        boolean ok = lockTimedUnchecked(mode, nanos);
        if (LockOrder.ON && ok) LockOrder.locked(lockInfo, !waits);
        if (HoldTimes.ON && ok) writeHoldStart();
        return ok;
    }

    private boolean lockTimedUnchecked(WaitMode mode, long nanos) throws InterruptedException {
        boolean timed = mode == WaitMode.TIMED;
        if (timed && nanos <= 0L) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return tryLockFast();
        }
        final long deadline = System.nanoTime() + nanos;
        if (timed) {
            if (!w.tryLockNanos(nanos)) {
                return false;
            }
        } else {
            w.lockInterruptibly();
        }
        Waiter node = announceWriter();
        if (node != null) {
            LockWaitEvent wait = new LockWaitEvent();
            wait.begin();
            int outcome = writerSem.acquire(node, false, mode, deadline - System.nanoTime());
            waited(wait, WRITER_KIND, outcome);
            if (outcome != Waiter.GRANTED && !withdraw(node)) {
                if (outcome == Waiter.INTERRUPTED) {
                    throw new InterruptedException();
                }
                return false;
            }
            if (outcome == Waiter.INTERRUPTED) {
                Thread.currentThread().interrupt();     // the lock was ours already: keep it
            }
        }
        return awaitBias(mode, deadline);
    }

    /**
     * lock(), holding the lock against shared readers: revokes the bias record and waits (not
     * interruptibly) for its owner's fast-path hold. If that throws (an OutOfMemoryError as
     * the wait is set up), unlocks before rethrowing: a lock() that throws holds nothing.
     */
    private void drainBias(ReaderBias b) {
        try {
            // Diagnostics hook: a writer waits for the bias owner.
            b.revokeAndAwait(this);
        } catch (Throwable t) {
            unlock();
            throw t;
        }
    }

    /**
     * Holding the lock against shared readers: revokes the bias record (if any) and waits for
     * its owner's fast-path hold; on time-out, interrupt or any other throw, unlocks and gives
     * up.
     */
    private boolean awaitBias(WaitMode mode, long deadline) throws InterruptedException {
        ReaderBias b = bias;      // only now: see lock()
        if (b == null) {
            return true;
        }
        b.revoke();
        // Diagnostics hook: a writer waits for the bias owner.
        boolean drained;
        try {
            drained = b.awaitNoHolds(this, mode, deadline);
        } catch (Throwable t) {     // interrupted, or an OutOfMemoryError setting up the wait
            unlock();
            throw t;
        }
        if (!drained) {
            unlock();
        }
        return drained;
    }

    /**
     * A pending writer gives up: undo the announcement and admit the readers that queued
     * behind it. Returns true instead if the last reader already left (the writerSem permit
     * is then ours, and so is the lock). {@code node} is the writer's waiter, unlinked by its
     * failed wait: reused, so this path allocates nothing.
     */
    private boolean withdraw(Waiter node) {
        for (;;) {
            long s = state;
            int rc = (int) s;
            int rw = (int) (s >>> 32);
            if (rw == 0) {
                writerSem.acquire(node, false);     // released, or about to be, by the last reader
                return true;
            }
            // Transition: readerCount += MAX (active and queued readers now hold it),
            // readerWait = 0; no reader will release writerSem after this.
            if (STATE.compareAndSet(this, s, (rc + MAX_READERS) & READERS)) {
                for (int queued = rc + MAX_READERS - rw; queued > 0; queued--) {
                    readerSem.release();
                }
                enableBias();
                w.unlock();
                return false;
            }
        }
    }

    private void unlockSlow() {
        for (;;) {
            long s = state;
            int rc = (int) s;
            if (rc >= 0 || (int) (s >>> 32) != 0) {
                // no writer, or a writer still waiting for readers (it does not hold the lock)
                throw new IllegalStateException("sync: Unlock of unlocked RWMutex");
            }
            // Transition: readerCount += MAX; the readers queued meanwhile now hold the lock.
            if (STATE.compareAndSet(this, s, (rc + MAX_READERS) & READERS)) {
                for (int queued = rc + MAX_READERS; queued > 0; queued--) {
                    readerSem.release();
                }
                enableBias();
                w.unlock();
                return;
            }
        }
    }

    // The reader bias

    /**
     * Holding a shared read lock (so no writer is active): bias the lock to this thread. If
     * the record cannot be allocated (OutOfMemoryError), gives the read lock back and
     * rethrows: an rLock that throws holds nothing.
     */
    private void installBias() {
        // Keep the fast path's one hold inside the reader limit.
        if ((int) state < MAX_READERS - 2) {
            ReaderBias b;
            try {
                b = new ReaderBias(Thread.currentThread());
            } catch (Throwable t) {
                rUnlockShared();
                throw t;
            }
            BIAS.compareAndSet(this, null, b);
        }
    }

    /**
     * Holding w, before announcing: the bias owner's fast path fails from now on (writer
     * preference). Not enough for exclusion: see awaitBias() and lock().
     */
    private void revokeBias() {
        ReaderBias b = bias;
        if (b != null) {
            b.revoke();
        }
    }

    /** The bias owner's fast-path read locks (0 or 1); racy unless a writer holds w. */
    private int biasHolds() {
        ReaderBias b = bias;
        return b == null ? 0 : b.holds();
    }

    /**
     * Holding w, as the writer leaves (or gives up): re-enables the owner's fast path, or
     * drops the record if its owner has died, so that the next reader can take the bias.
     */
    private void enableBias() {
        ReaderBias b = bias;
        if (b != null) {
            // getState() is plain Java on 17 and 21+ (isAlive() is a native call on 17).
            if (b.owner().getState() != Thread.State.TERMINATED || b.holds() != 0) {
                b.enable();
            } else {
                BIAS.compareAndSet(this, b, null);  // a dead owner with no hold: rebias
            }
        }
    }

    private static IllegalStateException tooManyReaders() {
        return new IllegalStateException(
                "sync: too many readers on RWMutex (limit " + (MAX_READERS - 1) + ")");
    }

    /** The read lock as Lock and Locker (also {@link #rLocker()}). */
    private final class ReadView implements Lock, Locker {
        final Held held = RWMutex.this::rUnlock;

        @Override
        public void lock() {
            rLock();
        }

        @Override
        public void unlock() {
            rUnlock();
        }

        @Override
        public Held locked() {
            rLock();
            return held;
        }

        @Override
        public boolean tryLock() {
            return tryRLock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            rLockTimed(WaitMode.INTERRUPTIBLE, 0L);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return rLockTimed(WaitMode.TIMED, Objects.requireNonNull(unit, "unit").toNanos(time));
        }

        @Override
        public Condition newCondition() {
            return new Cond(this);
        }

        @Override
        public String toString() {
            return "RLocker[" + RWMutex.this + "]";
        }
    }

    /** The write lock as Lock and Locker. */
    private final class WriteView implements Lock, Locker {
        @Override
        public void lock() {
            RWMutex.this.lock();
        }

        @Override
        public void unlock() {
            RWMutex.this.unlock();
        }

        @Override
        public Held locked() {
            RWMutex.this.lock();
            return writeHeld;
        }

        @Override
        public boolean tryLock() {
            return RWMutex.this.tryLock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lockTimed(WaitMode.INTERRUPTIBLE, 0L);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return lockTimed(WaitMode.TIMED, Objects.requireNonNull(unit, "unit").toNanos(time));
        }

        @Override
        public Condition newCondition() {
            return new Cond(this);
        }

        @Override
        public String toString() {
            return "WriteLock[" + RWMutex.this + "]";
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;   // field "state"
    private static final VarHandle BIAS;    // field "bias"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RWMutex.class, "state", long.class);
            BIAS = l.findVarHandle(RWMutex.class, "bias", ReaderBias.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
