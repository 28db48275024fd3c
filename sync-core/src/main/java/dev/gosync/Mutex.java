package dev.gosync;

import dev.gosync.internal.HoldTimes;
import dev.gosync.internal.Hooks;
import dev.gosync.internal.LockInfo;
import dev.gosync.internal.LockOrder;
import dev.gosync.internal.Contention;
import dev.gosync.internal.LockWaitEvent;
import dev.gosync.internal.Sema;
import dev.gosync.internal.Spin;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitEvent;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock that is neither reentrant nor owned by a thread, with Go's
 * starvation-proof fairness.
 *
 * <p><b>Go equivalent:</b> {@code sync.Mutex}. {@code try (var held = mu.locked()) { ... }} is
 * the Java spelling of {@code mu.Lock(); defer mu.Unlock()}; the guard is one cached object,
 * so the idiom allocates nothing.
 *
 * <p><b>Fairness:</b> in normal mode a thread that arrives while the mutex is free takes it,
 * even ahead of parked waiters (that keeps throughput high: the arriving thread is already on a
 * CPU). A waiter that has waited for more than 1 ms switches the mutex to <em>starvation
 * mode</em>: {@code unlock()} then hands ownership straight to the longest waiter, and arriving
 * threads neither barge nor spin but queue at the tail. The mutex returns to normal mode when
 * a waiter that receives it is the last one or has waited less than 1 ms. So no waiter is kept
 * out by barging arrivals for much longer than a millisecond plus the critical sections
 * queued ahead of it. Two guarantees go beyond Go's: the waiter whose wait switched the mutex
 * to starvation mode is the next to be handed it (it is queued before anyone can see the
 * switch), and a waiter that gives up does not end starvation mode while others still wait.
 * {@link #tryLock()} never takes the mutex in starvation mode (it may fail while the mutex is
 * being handed off), as in Go.
 *
 * <p><b>Memory consistency effects:</b> actions before an {@code unlock()} happen-before the
 * return of every later {@code lock()}, {@code lockInterruptibly()} or successful
 * {@code tryLock}, in any thread, whether the later locker got in on the fast path or was
 * woken or handed the mutex while parked. A failed {@code tryLock} creates no edge. (jcstress:
 * {@code MutexStress.UnlockHappensBeforeLock}, {@code MutexStress.WokenWaiterSeesWrites},
 * {@code MutexStress.MutualExclusion}, {@code MutexStress.TryLockExclusive},
 * {@code MutexStress.TimedGiveUpLeavesCleanState}.)
 *
 * <p><b>Misuse:</b> {@code unlock()} of an unlocked mutex throws {@code
 * IllegalStateException("sync: unlock of unlocked mutex")} and changes nothing. A holder that
 * locks again waits forever (Go's deadlock; not reentrant); its {@code tryLock()} fails. Any
 * thread may unlock a mutex another thread locked. Detection is exact for an unlock that
 * follows the matching one; two unlocks that race each other for one lock may both return
 * (the uncontended unlock is a store, not a CAS), and the mutex is then simply unlocked.
 *
 * <p><b>Interruption and time-outs:</b> {@code lock()} is not interruptible (Go's
 * {@code Lock}); {@link #lockInterruptibly()} and the timed {@code tryLock} leave the wait
 * queue cleanly: a release or hand-off that raced with the give-up still reaches another
 * waiter (the leaving thread takes a pending hand-off only if nobody else is waiting, and
 * releases it again before it throws or returns false), so no wake-up is lost. A call whose
 * wake-up won the race may instead acquire the mutex and return normally, with the interrupt
 * status set. An error thrown inside a wait (an {@code OutOfMemoryError}, say) propagates and
 * leaves the mutex in the same clean state.
 *
 * <p><b>Progress:</b> {@code lock()} blocks (spins briefly, then parks; never
 * {@code synchronized}, so a virtual thread does not pin its carrier); {@code tryLock()} is
 * wait-free (at most one CAS); {@code unlock()} never parks and is lock-free.
 */
public final class Mutex implements Locker, Lock {
    /*
     * Implementation notes.
     *
     * Go's algorithm (internal/sync/mutex.go): arrivals CAS the lock in; the slow path spins a
     * little while the holder is running, then registers as a waiter and sleeps on a Sema
     * (dev.gosync.internal: FIFO, LIFO re-queue). A woken waiter does not own the mutex in
     * normal mode; it competes with arrivals, and if it loses it re-queues at the head of the
     * Sema, so it keeps its place. A waiter that has waited over 1 ms sets STARVING on its
     * next attempt; from then on unlock() passes ownership straight to the head waiter and
     * arrivals neither barge nor spin but queue.
     *
     * Differences from Go:
     * (1) Two words. `locked` is a word of its own, so an unlock with no waiter and no
     *     starvation is a volatile store and a re-read of `state` (Go's is an atomic add).
     *     Lost wake-ups are excluded by the store/load (Dekker) pairing: an unlocker stores
     *     locked = 0 and then reads state; a waiter CASes its registration into state and
     *     then re-reads `locked` before it sleeps. Volatile accesses are totally ordered, so
     *     either the unlocker sees the waiter (and wakes it) or the waiter sees the mutex free.
     * (2) Hand-off keeps locked == 1: the unlocker sets HANDOFF and releases the Sema; a
     *     woken registered waiter claims ownership by clearing HANDOFF with a CAS; only one
     *     CAS can clear it, so a stray wake-up never makes two owners.
     * (3) Each waiter removes its own unit from the count when it stops waiting; unlock()
     *     does not remove the unit of the waiter it wakes.
     * (4) Queue before publishing: a waiter links its Sema node (Sema.enqueue) before the CAS
     *     that registers it or sets STARVING, and parks after it (Sema.await); if the mutex
     *     turns out free it competes from the queue and withdraws once it wins. A permit that
     *     enqueue finds free was released while nobody was queued: during a hand-off it
     *     belongs to a registered waiter (a thread not yet registered gives it back);
     *     otherwise it is a stray wake-up, and its taker becomes the WOKEN competitor.
     * (5) Cancellable waits (Go has none): a waiter that times out or is interrupted leaves
     *     the Sema (which guarantees it took no permit, or else keeps it), then removes its
     *     unit; only if nobody else is registered does that also end starvation mode and
     *     absorb a pending hand-off (released again unless the timed call may keep it).
     * (6) Errors: the node is allocated before it is first queued, so before the CAS that
     *     registers us (a spin that wins allocates nothing); any Throwable that escapes the
     *     slow path, that allocation's OutOfMemoryError included, is undone (abandon) before
     *     it propagates: at that point the only trace can be a WOKEN token claimed while
     *     spinning, which abandon gives back.
     *
     * Invariants (asserted at each transition; see valid()):
     * - STARVING only while the waiter count is non-zero; HANDOFF only with STARVING and
     *   locked == 1, and at most one at a time (the mutex stays locked until it is claimed).
     * - The count is the number of threads between the CAS that registered them and the CAS
     *   that removes their own unit (claim, settle, leave); nobody removes another's.
     * - Every CAS that registers a waiter or sets STARVING is made with its node linked, so
     *   the release of any unlock that sees it reaches that node or one queued ahead of it.
     * - A pending hand-off has a registered taker: its permit was granted to a linked node,
     *   or it is free while every registered waiter is outside the queue (woken, competing
     *   or leaving) and will take it, claim HANDOFF directly, or, if last, absorb it.
     * - WOKEN is owed to at most one competing waiter; it is cleared unconditionally (a lost
     *   WOKEN costs an extra wake-up, a WOKEN nobody owns would silence every unlock()).
     *
     * One window stays, as in Go: a woken waiter competing outside the queue is out of it
     * until it re-queues (at the head); a hand-off meanwhile goes to the queue's head.
     *
     * Rejected designs:
     * - A fair FIFO lock (hand off on every unlock): every contended unlock would pay a
     *   park/unpark round trip while the lock idles (convoys).
     * - AQS as the queue: it has no LIFO re-queue and no hand-off that keeps arrivals out,
     *   and it would impose its own state protocol on Go's.
     * - Go's one word: the uncontended unlock would need an atomic read-modify-write.
     * - Registering before queueing (Go's order): a hand-off released in between reaches a
     *   younger queued waiter or the free count, overtaking the waiter that set STARVING.
     * - A permit marked for its waiter: once waiters queue before publishing, the queue
     *   order already names the taker, and a mark would add a field and a race of its own.
     * - Any leaving waiter absorbing a pending hand-off: it clears STARVING (or takes the
     *   mutex) while older waiters remain, so arrivals overtake them.
     * - Allocating the node inside the Sema after registering: an OutOfMemoryError there
     *   strands a ghost waiter that every later unlock wakes or hands off to.
     * - Checking the invariants with if/throw: that costs on every transition; assert is
     *   dropped by the JIT when disabled.
     *
     * Spinning is Go's (at most 4 rounds of 30 pauses, only on a multi-core machine, only
     * while a holder runs in normal mode), except that each pause re-reads `locked` and the
     * round ends as soon as the mutex is free (test-and-test-and-set).
     *
     * JFR: acquireSlow() begins a LockWait event just before its first await and commits it
     * on return (waited()); a spin that wins creates none. The Sema reports this mutex as the
     * parked thread's blocker. lock(), tryLock() and unlock()'s fast paths never reach it.
     *
     * Lock word (int; CASed through LOCKED, released by a plain volatile store in unlock()'s
     * fast path to keep it small): 1 while someone holds the mutex, or while it is being
     * handed to a waiter.
     *
     * State word (int; changed only through STATE):
     *   bit  0      HANDOFF   the mutex (locked stays 1) is being handed to a waiter
     *   bit  1      WOKEN     a woken or spinning waiter is competing, so unlock() wakes nobody
     *   bit  2      STARVING  hand-off mode; only set while the waiter count is non-zero
     *   bits 3..31  number of registered waiters (units of 1 << WAITER_SHIFT)
     */
    private static final int HANDOFF = 1;
    private static final int WOKEN = 1 << 1;
    private static final int STARVING = 1 << 2;
    private static final int WAITER_SHIFT = 3;
    private static final int WAITER = 1 << WAITER_SHIFT;

    /** Go's starvationThresholdNs: a waiter that waited longer makes the mutex hand off. */
    private static final long STARVATION_THRESHOLD_NANOS = 1_000_000L;

    private volatile int locked;                    // 1 while held (or being handed off)
    private volatile int state;                     // HANDOFF, WOKEN, STARVING, waiter count
    private final Sema sema = new Sema(this);       // where waiters sleep
    private final Held held = this::unlock;         // the one cached guard of locked()
    private final String name;                      // for toString and diagnostics; or null
    private final LockInfo lockInfo;                // the lock-order checker's; null when off
    private final HoldTimes holds;                  // hold-time recorder; null unless on and named
    private final String kind;                      // JFR LockWait kind: "Mutex", "RWMutex.lock"

    /** Creates an unlocked mutex (Go's zero value). */
    public Mutex() {
        this.name = null;
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, null, "Mutex") : null;
        this.holds = null;
        this.kind = "Mutex";
    }

    /**
     * An RWMutex's writer mutex, whose JFR waits are recorded with {@code kind}; never
     * lock-order checked (the checker sees the RWMutex, not its internal mutex).
     */
    Mutex(String name, String kind) {
        this.name = name;
        this.kind = kind;
        this.lockInfo = null;
        this.holds = null;      // the RWMutex times its own holds
    }

    /**
     * Creates an unlocked mutex with a name, which {@link #toString()} shows (so does any tool
     * that prints a parked thread's blocker: it is this mutex) and which names it in
     * diagnostics.
     *
     * @param name what the mutex guards, for example {@code "discovery"}
     * @throws NullPointerException if {@code name} is null
     */
    public Mutex(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, name, "Mutex") : null;
        this.holds = HoldTimes.of(name);
        this.kind = "Mutex";
    }

    // Fast paths

    /**
     * Locks the mutex, waiting as long as it takes. Not interruptible (Go's {@code Lock}); an
     * interrupt while waiting is kept and re-asserted on return.
     */
    @Override
    public void lock() {
        if (Hooks.ON || (state & STARVING) != 0 || !LOCKED.compareAndSet(this, 0, 1)) {
            lockSlow();     // out of line so lock() inlines at every call site
        }
    }

    /**
     * Locks the mutex if it is free and not being handed off; never waits. In normal mode it
     * may take the mutex ahead of parked waiters, as Go's {@code TryLock} does.
     *
     * @return true if the mutex was locked by this call
     */
    @Override
    public boolean tryLock() {
        boolean ok = tryLockFast();
        if (LockOrder.ON && ok) LockOrder.locked(lockInfo, true);
        if (HoldTimes.ON && ok) holdStart();
        return ok;
    }

    private boolean tryLockFast() {
        return (state & STARVING) == 0 && LOCKED.compareAndSet(this, 0, 1);
    }

    /**
     * Unlocks the mutex; any thread may call it.
     *
     * @throws IllegalStateException if the mutex is not locked ("sync: unlock of unlocked
     *     mutex"); nothing is changed
     */
    @Override
    public void unlock() {
        if (Hooks.ON || state != 0 || locked == 0) {
            unlockOther();      // waiters, hand-off, misuse, or a diagnostic hook
            return;
        }
        locked = 0;             // volatile store (no waiter, normal mode): not a CAS
        recheck();              // a waiter may have registered meanwhile (Dekker: see notes)
    }

    /**
     * Locks the mutex and returns the guard that unlocks it: {@code try (var held =
     * mu.locked()) { ... }} is Go's {@code mu.Lock(); defer mu.Unlock()}. The guard is one
     * cached object; the idiom allocates nothing.
     *
     * @return the guard; its {@code close()} calls {@link #unlock()}
     */
    @Override
    public Held locked() {
        lock();
        return held;
    }

    /**
     * Locks the mutex unless the thread is interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting; the mutex is then
     *     not locked by this call and its wait queue is left as if the call never happened
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (LockOrder.ON) LockOrder.lock(lockInfo);
        if (!tryLockFast() && acquireSlow(WaitMode.INTERRUPTIBLE, 0L) == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        if (LockOrder.ON) LockOrder.locked(lockInfo, false);
        if (HoldTimes.ON) holdStart();
    }

    /**
     * Locks the mutex if it becomes available within the given time.
     *
     * @param time the longest wait; {@code <= 0} only tries
     * @param unit the unit of {@code time}
     * @return true if locked, false if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting (not locked)
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLockNanos(Objects.requireNonNull(unit, "unit").toNanos(time));
    }

    /**
     * Locks the mutex if it becomes available within {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative only tries
     * @return true if locked, false if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting (not locked)
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLockNanos(Timeouts.nanos(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * Returns a new {@link Cond} bound to this mutex: {@code await()} unlocks this mutex and
     * locks it again before returning.
     *
     * @return a new condition variable whose Locker is this mutex
     */
    @Override
    public Cond newCondition() {
        return new Cond(this);
    }

    /**
     * Whether the mutex is held (or being handed to a waiter). Monitoring only: the answer
     * may be stale on return.
     *
     * @return true if locked
     */
    public boolean isLocked() {
        return locked != 0;
    }

    /**
     * The name given at construction.
     *
     * @return the name, or null for a mutex made with {@code new Mutex()}
     */
    public String name() {
        return name;
    }

    /**
     * Describes the state, for debugging: the name if any, locked or not, starvation mode,
     * waiter count.
     *
     * @return for example {@code "Mutex[discovery, locked, waiters=2]"}
     */
    @Override
    public String toString() {
        int s = state;
        return "Mutex[" + (name != null ? name + ", " : "")
                + (locked != 0 ? "locked" : "unlocked")
                + ((s & STARVING) != 0 ? ", starving" : "")
                + ", waiters=" + (s >>> WAITER_SHIFT) + "]";
    }

    // Package-private hooks for RWMutex and tests

    boolean tryLockNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (LockOrder.ON && nanos > 0L) LockOrder.lock(lockInfo, true);   // a timed wait is a wait
        if (tryLockFast()) {
            if (LockOrder.ON) LockOrder.locked(lockInfo, nanos <= 0L);
            if (HoldTimes.ON) holdStart();
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        int outcome = acquireSlow(WaitMode.TIMED, nanos);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        if (LockOrder.ON && outcome == Waiter.GRANTED) LockOrder.locked(lockInfo, false);
        if (HoldTimes.ON && outcome == Waiter.GRANTED) holdStart();
        return outcome == Waiter.GRANTED;
    }

    /** Number of registered waiters; tests and monitoring only. */
    int waiterCount() {
        return state >>> WAITER_SHIFT;
    }

    /** Whether the mutex is in starvation (hand-off) mode; tests only. */
    boolean isStarving() {
        return (state & STARVING) != 0;
    }

    // Slow paths

    private void lockSlow() {
        if (Hooks.ON) {
            Object held = LockOrder.ON ? LockOrder.check(lockInfo) : null;  // may throw first
            if (!tryLockFast()) {
                acquireSlow(WaitMode.UNINTERRUPTIBLE, 0L);
            }
            if (LockOrder.ON) LockOrder.locked(held, lockInfo);
            if (HoldTimes.ON) holdStart();
            return;
        }
        acquireSlow(WaitMode.UNINTERRUPTIBLE, 0L);
    }

    /** Hold-time recording (named mutexes only): a hold begins. */
    private void holdStart() {
        if (holds != null) {
            holds.start();
        }
    }

    /** unlock() when not the plain fast case; the diagnostics' hooks run before the release. */
    private void unlockOther() {
        if (Hooks.ON) {
            if (LockOrder.ON) LockOrder.unlock(lockInfo);
            if (HoldTimes.ON && holds != null) holds.stop();    // nothing if not held
            if (state == 0 && locked != 0) {
                locked = 0;     // as in unlock()
                recheck();
                return;
            }
        }
        unlockSlow();           // waiters, hand-off, or misuse
    }

    /**
     * Spins, queues, registers, sleeps on the Sema and competes again until the mutex is ours,
     * or (interruptible/timed modes) the thread gives up. Returns a Waiter outcome.
     */
    private int acquireSlow(WaitMode mode, long nanos) {
        final long deadline = (mode == WaitMode.TIMED) ? System.nanoTime() + nanos : 0L;
        Waiter node = null;         // allocated before we first queue: a spin that wins never does
        long waitStart = 0L;        // when we first queued; 0 until then
        boolean registered = false; // our unit is in the waiter count
        boolean awoke = false;      // we hold the WOKEN token (woken, or claimed while spinning)
        boolean lifo = false;       // we were woken from the queue: go back to its head (Go)
        boolean starving = false;   // we have waited over the threshold
        boolean queued = false;     // our node may be linked, or granted and not yet seen
        boolean enteredStarving = false;    // our CAS switched starvation mode on (for JFR)
        LockWaitEvent wait = null;  // the JFR event, begun at our first park; null until then
        int spins = 0;
        try {
            for (;;) {
                int s = state;
                // Spin while a holder runs in normal mode, claiming WOKEN so unlock() wakes nobody.
                if (locked != 0 && (s & STARVING) == 0 && spins < Spin.ROUNDS) {
                    if (!awoke && (s & WOKEN) == 0 && (s >>> WAITER_SHIFT) != 0
                            && STATE.compareAndSet(this, s, s | WOKEN)) {
                        awoke = true;
                    }
                    // Test-and-test-and-set: stop pausing as soon as the holder lets go.
                    for (int i = 0; i < Spin.PAUSES && locked != 0; i++) {
                        Thread.onSpinWait();
                    }
                    spins++;
                    continue;
                }
                // Transition: acquire. Arrivals only in normal mode; a registered waiter also in
                // starvation mode when the mutex is free (it was released before STARVING was
                // seen), never during a hand-off.
                if ((s & HANDOFF) == 0 && ((s & STARVING) == 0 || registered)
                        && LOCKED.compareAndSet(this, 0, 1)) {
                    if (registered || awoke) {
                        settle(registered, awoke);
                    }
                    return waited(wait, Waiter.GRANTED, false, enteredStarving, waitStart);
                }
                // Queue before publishing: the node is linked before the CAS below can show an
                // unlocker why it should hand off or wake, so that release reaches this node (or
                // one queued ahead of it), never a waiter that comes later.
                if (node == null) {
                    node = new Waiter();    // an OOM here: abandon() gives back WOKEN if ours
                    if (Contention.on()) {
                        node.since(System.nanoTime());  // the contention profile's clock
                    }
                }
                queued = true;
                if (sema.enqueue(node, lifo)) {
                    queued = false;
                    // A free permit: released while nobody was queued.
                    if ((state & HANDOFF) != 0) {
                        if (registered) {
                            // Transition: it is the pending hand-off's, and we may claim it.
                            starving = starving || (waitStart != 0L
                                    && System.nanoTime() - waitStart > STARVATION_THRESHOLD_NANOS);
                            if (claimHandOff(starving, awoke)) {
                                return waited(wait, Waiter.GRANTED, true, enteredStarving,
                                        waitStart);
                            }
                        } else {
                            // Owed to a registered waiter that is about to queue: give it back.
                            sema.release();
                            Thread.yield();
                            continue;
                        }
                    }
                    awoke = true;       // a wake-up nobody waited for: take over WOKEN's duty
                    spins = 0;
                    continue;
                }
                if (waitStart == 0L) {
                    waitStart = System.nanoTime();
                }
                // Transition: register as a waiter (once), give WOKEN back, and enter starvation
                // mode if we have waited too long while the mutex is held. Linked meanwhile, so
                // retried here rather than from the top.
                for (;;) {
                    s = state;
                    int next = s;
                    if (!registered) {
                        next += WAITER;
                    }
                    if (starving && locked != 0) {
                        next |= STARVING;
                    }
                    if (awoke) {
                        next &= ~WOKEN;     // unconditional: see notes
                    }
                    assert !registered || (s >>> WAITER_SHIFT) != 0 : describe(s);
                    assert valid(next) : describe(next);
                    if (STATE.compareAndSet(this, s, next)) {
                        enteredStarving |= (s & STARVING) == 0 && (next & STARVING) != 0;
                        break;
                    }
                }
                registered = true;
                awoke = false;
                // Dekker re-check: sleep only while the mutex is held or being handed off. If it
                // is free, compete from where we are queued (we are registered, so in any mode).
                int outcome;
                for (;;) {
                    if (locked == 0 && (state & HANDOFF) == 0) {
                        if (LOCKED.compareAndSet(this, 0, 1)) {
                            // A release that granted us meanwhile was a wake-up: WOKEN is ours.
                            boolean woken = !sema.withdraw(node);
                            queued = false;
                            settle(true, woken);
                            return waited(wait, Waiter.GRANTED, false, enteredStarving, waitStart);
                        }
                        continue;
                    }
                    if (wait == null) {
                        wait = new LockWaitEvent();     // JFR: off unless a recording enables it
                        wait.begin();
                    }
                    outcome = sema.await(node, mode, deadline - System.nanoTime());
                    queued = false;
                    break;
                }
                if (outcome != Waiter.GRANTED) {
                    // Timed out or interrupted: the Sema unlinked us and we hold no permit.
                    registered = false;     // leave() removes our unit (never twice)
                    return waited(wait, leave(outcome == Waiter.TIMED_OUT) ? Waiter.GRANTED
                            : outcome, false, enteredStarving, waitStart);
                }
                lifo = true;
                starving = starving || System.nanoTime() - waitStart > STARVATION_THRESHOLD_NANOS;
                if (claimHandOff(starving, false)) {
                    return waited(wait, Waiter.GRANTED, true, enteredStarving, waitStart);
                }
                awoke = true;
                spins = 0;
            }
        } catch (Throwable t) {
            abandon(node, queued, registered, awoke);
            throw t;
        }
    }

    /**
     * If this call parked: commits the JFR wait event if a recording wants it, and records the
     * wait in the contention profile if it is on and samples it. Returns outcome.
     */
    private int waited(LockWaitEvent wait, int outcome, boolean handOff, boolean enteredStarving,
            long waitStart) {
        if (wait != null) {
            if (outcome == Waiter.GRANTED && Contention.sample()) {
                Contention.waited(WaitEvent.label(this, name), name != null,
                        System.nanoTime() - waitStart);
            }
            if (wait.finish(this, name, outcome, "acquired")) {
                wait.kind = kind;
                wait.handOffReceived = handOff;
                wait.starvationEntered = enteredStarving;
                wait.commit();
            }
        }
        return outcome;
    }

    /**
     * Undoes what the slow path had published when a Throwable escaped it (an
     * OutOfMemoryError from a yield that allocates, as a virtual thread's may, or any error
     * from the wait layer), so the failed call leaves no trace: our node leaves the queue,
     * a wake-up granted to it is used or passed on, our unit leaves the count (absorbing a
     * hand-off only if we were the last), and a WOKEN token we held is given back, with a
     * replacement woken if the mutex is free. (A StackOverflowError may strike this too.)
     */
    private void abandon(Waiter node, boolean queued, boolean registered, boolean awoke) {
        boolean owner = false;
        if (queued) {
            sema.withdraw(node);
            if (node.granted() != null) {
                if (!registered) {
                    sema.release();         // not ours to use (we never registered): pass it on
                } else if (claimHandOff(true, false)) {
                    registered = false;     // it was a hand-off: the mutex is ours to pass on
                    owner = true;
                } else {
                    awoke = true;           // a plain wake-up: we are the competing waiter
                }
            }
        }
        if (awoke) {
            STATE.getAndBitwiseAnd(this, ~WOKEN);
        }
        if (registered) {
            leave(false);
        }
        if (owner) {
            unlock();
        } else if (awoke) {
            wakeSlow();
        }
    }

    /**
     * Transition: a registered waiter takes a pending hand-off (the mutex stays locked; it is
     * now ours). Leaves starvation mode if we are the last waiter or were not starving. A
     * claimer that holds WOKEN ({@code awoke}: it was woken earlier and then found the
     * hand-off's permit free) gives it back in the same CAS: an owner keeping WOKEN would make
     * every later unlock() wake nobody.
     */
    private boolean claimHandOff(boolean starving, boolean awoke) {
        for (;;) {
            int s = state;
            if ((s & HANDOFF) == 0) {
                return false;   // a normal (or stray) wake-up: compete again
            }
            assert (s >>> WAITER_SHIFT) != 0 : describe(s);
            int next = (s & ~HANDOFF) - WAITER;
            if (!starving || (s >>> WAITER_SHIFT) == 1) {
                next &= ~STARVING;
            }
            if (awoke) {
                next &= ~WOKEN;
            }
            assert valid(next) : describe(next);
            if (STATE.compareAndSet(this, s, next)) {
                assert locked != 0 : describe(next);    // handed off: it stayed locked
                return true;
            }
        }
    }

    /**
     * After acquiring by CAS: remove our unit and/or give WOKEN back. Between a registered
     * waiter's CAS on {@code locked} and this one, another thread may unlock (the mutex was
     * locked, and it is not owned) and, in starvation mode, hand it off to the registered
     * waiters, us included; if we are the last of them, nobody is left to claim it, so that
     * unlock is completed here as a plain one.
     */
    private void settle(boolean registered, boolean awoke) {
        for (;;) {
            int s = state;
            int next = s;
            boolean unlocked = false;
            if (registered) {
                assert (s >>> WAITER_SHIFT) != 0 : describe(s);
                next -= WAITER;
                if ((next >>> WAITER_SHIFT) == 0) {
                    unlocked = (next & HANDOFF) != 0;
                    next &= ~(HANDOFF | STARVING);
                }
            }
            if (awoke) {
                next &= ~WOKEN;
            }
            assert valid(next) : describe(next);
            if (STATE.compareAndSet(this, s, next)) {
                if (unlocked) {
                    LOCKED.setVolatile(this, 0);
                    wakeSlow();
                }
                return;
            }
        }
    }

    /**
     * A registered waiter that timed out or was interrupted (and holds no Sema permit)
     * removes its unit. A pending hand-off is absorbed only by the waiter whose removal leaves
     * no other registered: with {@code mayAcquire} the mutex is then ours, else it is released
     * again. While others remain, the hand-off (and STARVING) stays theirs: its permit went to
     * one of them or waits in the Sema for the first of them to queue. With {@code mayAcquire},
     * a free mutex in normal mode is taken too.
     */
    private boolean leave(boolean mayAcquire) {
        for (;;) {
            int s = state;
            assert (s >>> WAITER_SHIFT) != 0 : describe(s);
            // One CAS removes our unit and decides whether we were the last, so an unlocker
            // cannot start a hand-off aimed only at us after we looked.
            int next = s - WAITER;
            boolean absorb = false;
            if ((next >>> WAITER_SHIFT) == 0) {
                // Transition: the last waiter leaves; starvation mode ends, and a pending
                // hand-off has nobody else to go to (we own the mutex now).
                absorb = (next & HANDOFF) != 0;
                next &= ~(HANDOFF | STARVING);
            }
            assert valid(next) : describe(next);
            if (STATE.compareAndSet(this, s, next)) {
                if (absorb) {
                    assert locked != 0 : describe(next);    // a hand-off keeps it locked
                    if (mayAcquire) {
                        return true;
                    }
                    unlock();
                    return false;
                }
                return mayAcquire && tryLock();
            }
        }
    }

    private void unlockSlow() {
        for (;;) {
            int s = state;
            if (locked == 0 || (s & HANDOFF) != 0) {
                throw new IllegalStateException("sync: unlock of unlocked mutex");
            }
            if ((s & STARVING) != 0 && (s >>> WAITER_SHIFT) != 0) {
                // Transition: hand off. locked stays 1, so no arrival takes the mutex; the
                // head waiter claims it by clearing HANDOFF.
                if (STATE.compareAndSet(this, s, s | HANDOFF)) {
                    assert valid(s | HANDOFF) && locked != 0 : describe(s | HANDOFF);
                    blame();
                    sema.release();
                    return;
                }
                continue;
            }
            LOCKED.setVolatile(this, 0);
            wakeSlow();
            return;
        }
    }

    /** The load half of unlock()'s store/load pair; tiny, so it inlines with unlock(). */
    private void recheck() {
        if (state != 0) {
            wakeSlow();
        }
    }

    /** After storing locked = 0: wake one waiter unless none is registered or one is awake. */
    private void wakeSlow() {
        for (;;) {
            int s = state;
            if ((s >>> WAITER_SHIFT) == 0 || (s & (WOKEN | HANDOFF)) != 0 || locked != 0) {
                return;     // nobody to wake, someone already on it, or a new holder will
            }
            if (STATE.compareAndSet(this, s, s | WOKEN)) {
                blame();
                sema.release();
                return;
            }
        }
    }

    /**
     * The contention profile (Go's mutex profile), at an unlock that wakes or hands off to a
     * parked waiter: blames the calling unlocker for the time the queued waiters waited since
     * their clocks last restarted, and restarts them. One volatile read when profiling is off.
     */
    private void blame() {
        if (Contention.on()) {
            long delay = sema.blameWaiters(System.nanoTime());
            if (delay > 0L && Contention.sample()) {
                Contention.blame(WaitEvent.label(this, name), delay);
            }
        }
    }

    /**
     * The state word's own invariants, checked with {@code assert} at every transition (so
     * free with -da: the JIT drops the disabled branch): STARVING only while waiters are
     * registered, HANDOFF only in starvation mode (so only with waiters, too).
     */
    private static boolean valid(int s) {
        return ((s & STARVING) == 0 || (s >>> WAITER_SHIFT) != 0)
                && ((s & HANDOFF) == 0 || (s & STARVING) != 0);
    }

    /** For assertion messages: a state word and the lock word, spelled out. */
    private String describe(int s) {
        return "state " + ((s & HANDOFF) != 0 ? "HANDOFF " : "")
                + ((s & WOKEN) != 0 ? "WOKEN " : "") + ((s & STARVING) != 0 ? "STARVING " : "")
                + "waiters=" + (s >>> WAITER_SHIFT) + ", locked=" + locked;
    }

    // VarHandle mechanics
    private static final VarHandle LOCKED;  // field "locked"
    private static final VarHandle STATE;   // field "state"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCKED = l.findVarHandle(Mutex.class, "locked", int.class);
            STATE = l.findVarHandle(Mutex.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
