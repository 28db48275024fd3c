package dev.gosync.stress;

import dev.gosync.atomic.AtomicPointer;
import dev.gosync.atomic.AtomicValue;
import java.util.Arrays;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link AtomicPointer}; the CAS test also covers {@link AtomicValue}'s
 * compare-by-equals CAS.
 */
public class AtomicPointerStress {
    private AtomicPointerStress() {
    }

    /** A copy-on-write list node with deliberately non-final fields. */
    static final class Node {
        int[] items;
        int size;
    }

    /**
     * The writer copies the published node, appends to the copy with plain writes and publishes
     * the copy with {@code compareAndSwap}; a reader that loads the copy sees it fully built:
     * r1 = size, r2 = array length, r3 = last element.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "old node")
    @Outcome(id = "2, 2, 2", expect = ACCEPTABLE, desc = "new node, fully built")
    @Outcome(expect = FORBIDDEN,
            desc = "new node seen half-built: the CAS does not publish the writes before it")
    @State
    public static class CopyOnWritePublication {
        final AtomicPointer<Node> head;

        public CopyOnWritePublication() {
            Node first = new Node();
            first.items = new int[] {1};
            first.size = 1;
            head = new AtomicPointer<>(first);
        }

        @Actor
        public void writer() {
            Node old = head.load();
            Node copy = new Node();
            copy.items = Arrays.copyOf(old.items, old.size + 1);
            copy.items[old.size] = old.size + 1;
            copy.size = old.size + 1;
            head.compareAndSwap(old, copy);
        }

        @Actor
        public void reader(III_Result r) {
            Node n = head.load();
            r.r1 = n.size;
            int[] items = n.items;
            if (items == null) {
                r.r2 = -1;
                r.r3 = -1;
            } else {
                r.r2 = items.length;
                r.r3 = items[items.length - 1];
            }
        }
    }

    /**
     * Both actors CAS from the same old reference on an AtomicPointer (bit 1), and from an
     * equal-but-not-identical old value on an AtomicValue (bit 2): in each, exactly one wins.
     */
    @JCStressTest
    @Outcome(id = {"3, 0", "0, 3", "1, 2", "2, 1"}, expect = ACCEPTABLE,
            desc = "one winner per atomic")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won a CAS on one atomic: CAS not atomic")
    @State
    public static class CasExclusive {
        final Object first = new Object();
        final AtomicPointer<Object> p = new AtomicPointer<>(first);
        final AtomicValue v = new AtomicValue(1000L);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = (p.compareAndSwap(first, new Object()) ? 1 : 0)
                    | (v.compareAndSwap(Long.valueOf(1000L), 1001L) ? 2 : 0);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = (p.compareAndSwap(first, new Object()) ? 1 : 0)
                    | (v.compareAndSwap(Long.valueOf(1000L), 1002L) ? 2 : 0);
        }
    }
}
