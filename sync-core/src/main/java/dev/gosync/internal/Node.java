package dev.gosync.internal;

/**
 * One place of a {@link Waiter} in one {@link WaitQueue}, with the payload that queue's owner
 * needs (the weight of a {@code Weighted} request, say). A waiter that waits in one queue is
 * its own node; one that waits in several at once (a select over channels, Go's
 * {@code sudog}s of one goroutine) has one node per queue from {@link Waiter#link(long)}, all
 * deciding through the same waiter, so exactly one of them wins.
 */
public class Node {
    /** The decision this place belongs to: the waiter itself, for its own node. */
    final Waiter waiter;
    /** The payload, fixed at creation. */
    private final long arg;
    Node prev;          // guarded by the queue lock of the queue this node is linked in
    Node next;          // guarded by the queue lock
    boolean linked;     // guarded by the queue lock

    /** Only Waiter (for its own node, with {@code waiter == null}) and Waiter.link. */
    Node(Waiter waiter, long arg) {
        this.waiter = waiter != null ? waiter : (Waiter) this;
        this.arg = arg;
    }

    /**
     * The payload given at creation.
     *
     * @return the payload
     */
    public final long arg() {
        return arg;
    }

    /**
     * The waiter this place belongs to.
     *
     * @return the waiter
     */
    public final Waiter waiter() {
        return waiter;
    }
}
