package dev.gosync;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by PoolTest in a forked small-heap JVM on the plain class path: fills a pool with 64
 * buffers of 256 KiB (16 MiB of a 64 MiB heap), drops every other reference to them, then
 * keeps 40 MiB live while allocating, until weak references show that the collector has freed
 * every buffer.
 * Exits 0 and prints "released" on success, exits 1 if the buffers are still alive after
 * allocating 4 GiB (a pool that kept idle items forever), or dies of OutOfMemoryError.
 */
public final class PoolReleaseProbe {
    private PoolReleaseProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Pool<byte[]> pool = new Pool<>();
        List<WeakReference<byte[]>> refs = fill(pool);
        long allocated = 0;
        // 40 MiB of live data, replaced piece by piece: with the pool's 16 MiB the heap is nearly
        // full, so the old generation must be collected too, not only the young one.
        byte[][] live = new byte[640][];
        for (int i = 0; allocated < (4L << 30); i++) {
            live[i % live.length] = new byte[64 * 1024];
            allocated += 64 * 1024;
            if ((i & 255) == 0 && refs.stream().allMatch(r -> r.get() == null)) {
                System.out.println("released after allocating " + (allocated >> 20) + " MiB");
                return;
            }
        }
        long alive = refs.stream().filter(r -> r.get() != null).count();
        System.out.println("NOT released: " + alive + " buffers still alive; pool " + pool);
        System.exit(1);
    }

    // A method of its own, so that no local variable of main keeps the last buffer alive.
    private static List<WeakReference<byte[]>> fill(Pool<byte[]> pool) {
        List<WeakReference<byte[]>> refs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] b = new byte[256 * 1024];
            refs.add(new WeakReference<>(b));
            pool.put(b);
        }
        return refs;
    }
}
