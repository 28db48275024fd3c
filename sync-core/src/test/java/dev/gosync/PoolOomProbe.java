package dev.gosync;

/**
 * Run by PoolTest in a forked JVM with a 64 MiB heap on the plain class path: puts 40 buffers
 * of just under 1 MiB in a pool, drops every other reference to them, then at once allocates
 * 40 MiB more, which fits only if the collector may reclaim the idle items. The 40 MiB come in
 * 64 KiB pieces, so that fitting them needs free space, not 40 MiB of contiguous free space:
 * one 40 MiB array (an earlier form of this probe) could fail on G1 through region
 * fragmentation alone, about 1 run in 40 under load, whatever the pool did. No collection has
 * happened in between (or too few for the pool's own release at GC), so this checks that the
 * pool holds its idle items only softly: the JVM clears soft references before it throws
 * OutOfMemoryError.
 * 40 buffers are more than one thread's stripe holds (8), so most of them sit in the pool's
 * overflow queue: this checks that the queue, too, is reachable only through the soft side.
 * Exits 0 and prints "allocated" on success, exits 1 on OutOfMemoryError.
 */
public final class PoolOomProbe {
    /** Idle buffers: under 1 MiB, so that each takes one G1 region (1 MiB at this heap). */
    private static final int BUFFER = (1 << 20) - 1024;
    /** The later allocation: 640 pieces of 64 KiB, 40 MiB. */
    private static final int PIECE = 64 << 10;
    private static final int PIECES = 640;

    private PoolOomProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Pool<byte[]> pool = new Pool<>();
        fill(pool);
        try {
            byte[][] big = new byte[PIECES][];
            for (int i = 0; i < PIECES; i++) {
                big[i] = new byte[PIECE];
            }
            System.out.println("allocated " + (big.length * (long) PIECE >> 20)
                    + " MiB beside the pool");
        } catch (OutOfMemoryError e) {
            System.out.println("OOM while the pool held idle items: " + e);
            System.exit(1);
        }
        // Keep the pool reachable to the end, so the test is about its items, not the pool.
        System.out.println(pool.get() == null ? "pool emptied" : "pool kept an item");
    }

    // A method of its own, so that no local variable of main keeps the last buffer alive.
    private static void fill(Pool<byte[]> pool) {
        for (int i = 0; i < 40; i++) {
            pool.put(new byte[BUFFER]);
        }
    }
}
