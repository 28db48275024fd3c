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
    /*
     * The element a channel hands over through this place (Chan, Select). Set by the owner
     * before linking (a parked send's value), or by a waker before its grant CAS (a value for
     * a parked receive; the closed mark); read by the other side after it has seen the grant,
     * or by the waker that polled it, under the queue lock. Unused by other queues.
     */
    private Object item;
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
     * The element handed over through this place (channels only; see the field's notes).
     *
     * @return the element, or null
     */
    public final Object item() {
        return item;
    }

    /**
     * Sets the element handed over through this place (channels only).
     *
     * @param item the element, or null
     */
    public final void item(Object item) {
        this.item = item;
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
