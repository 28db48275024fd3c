package dev.gosync.examples;

import dev.gosync.WaitGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recovery step of a cluster controller: it has found problems (a dead primary, a broken
 * replication stream, a missing tablet) across many shards and repairs them.
 *
 * <p><b>Primitive:</b> a {@link WaitGroup}. Problems are grouped by shard; each shard gets one
 * task started with {@link WaitGroup#go}, which repairs that shard's problems one after the
 * other, in the order found (two repairs of one shard must not race: both would try to elect a
 * primary). Shards are independent, so their tasks run in parallel, and
 * {@link WaitGroup#await()} joins them all: the fan-out and fan-in of Go's
 * {@code for shard := range byShard { wg.Go(func() { ... }) }; wg.Wait()}.
 *
 * <p><b>Collecting results without a lock:</b> each task writes only its own slot of an array
 * made before the tasks start. No two tasks touch the same slot, and every task's writes
 * happen-before its {@code done()}, which happens-before the return of {@code await()}: after
 * {@code await()} the caller reads every slot with no further synchronisation. (A task that
 * throws would reach the thread's uncaught-exception handler, and {@code wg.go} would still
 * count it done; catching inside the task turns the failure into a result instead.)
 */
final class RecoveryFanOut {
    /** One problem found on a shard. */
    record Problem(String shard, String description) {
        Problem {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(description, "description");
        }
    }

    /** What recovery did for one shard: problems fixed, and failures as "problem: reason". */
    record ShardResult(String shard, List<String> fixed, List<String> failed) {
    }

    /** Repairs one problem; may block for a long time, may throw. */
    @FunctionalInterface
    interface Repairer {
        /**
         * @param problem the problem to repair
         * @throws Exception if it could not be repaired
         */
        void repair(Problem problem) throws Exception;
    }

    private final Repairer repairer;

    /**
     * @param repairer what repairs one problem
     */
    RecoveryFanOut(Repairer repairer) {
        this.repairer = Objects.requireNonNull(repairer, "repairer");
    }

    /**
     * Repairs all problems: shards in parallel, each shard's problems in order.
     *
     * @param problems the problems found, in the order found
     * @return one result per shard, in the order each shard first appears in {@code problems}
     * @throws InterruptedException if interrupted while waiting; the shard tasks keep running
     */
    List<ShardResult> recover(List<Problem> problems) throws InterruptedException {
        Map<String, List<Problem>> byShard = new LinkedHashMap<>();
        for (Problem p : problems) {
            byShard.computeIfAbsent(p.shard(), s -> new ArrayList<>()).add(p);
        }
        List<List<Problem>> groups = new ArrayList<>(byShard.values());
        ShardResult[] results = new ShardResult[groups.size()];   // slot i: written by task i only
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < groups.size(); i++) {
            int slot = i;
            wg.go(() -> results[slot] = recoverShard(groups.get(slot)));
        }
        wg.await();   // every task's write to its slot happens-before this returns
        return List.of(results);
    }

    private ShardResult recoverShard(List<Problem> problems) {
        List<String> fixed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Problem p : problems) {
            try {
                repairer.repair(p);
                fixed.add(p.description());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(p.description() + ": interrupted");
                break;
            } catch (Exception e) {
                failed.add(p.description() + ": " + e.getMessage());   // go on with the next
            }
        }
        return new ShardResult(problems.get(0).shard(), List.copyOf(fixed), List.copyOf(failed));
    }
}
