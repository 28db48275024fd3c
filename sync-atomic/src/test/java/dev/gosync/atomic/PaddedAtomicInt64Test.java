package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PaddedAtomicInt64 has AtomicInt64's semantics (checked operation by operation against a
 * sequential model and against AtomicInt64 itself) and its value really has padding on both
 * sides (checked with the field offsets HotSpot chose).
 */
class PaddedAtomicInt64Test {
    /** Arguments that matter: both sides of zero, the extremes, and both 32-bit halves. */
    private static final long[] VALUES = {
        -2, -1, 0, 1, 2, 3, 0b1100, 0xFFFF_FFFFL, 1L << 32, Long.MIN_VALUE, Long.MAX_VALUE,
    };

    // Go's zero value is 0; the other constructor sets the initial value; toString is decimal.
    @Test
    void zeroInitialValueAndToString() {
        assertEquals(0, new PaddedAtomicInt64().load());
        assertEquals(-7, new PaddedAtomicInt64(-7).load());
        assertEquals("0", new PaddedAtomicInt64().toString());
        assertEquals("-9223372036854775808", new PaddedAtomicInt64(Long.MIN_VALUE).toString());
    }

    // The Go contracts in one place: add returns the new value and wraps, swap/and/or return
    // the old one, updateMax/updateMin return the value held after the call.
    @Test
    void returnValuesFollowGo() {
        PaddedAtomicInt64 a = new PaddedAtomicInt64(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, a.add(1));
        assertEquals(Long.MIN_VALUE, a.swap(0b1100));
        assertEquals(0b1100, a.and(0b0110));
        assertEquals(0b0100, a.or(0b0011));
        assertEquals(0b0111, a.updateMax(-1));
        assertEquals(0b0111, a.load());
        assertEquals(-1, a.updateMin(-1));
        assertEquals(-1, a.load());
    }

    // 20,000 random operations with arguments from VALUES: every return value and every value
    // left behind equals both a plain-long model of Go's semantics and AtomicInt64's result.
    @Test
    void everyOperationMatchesModelAndAtomicInt64() {
        SplittableRandom rnd = new SplittableRandom(7);
        PaddedAtomicInt64 padded = new PaddedAtomicInt64();
        AtomicInt64 plain = new AtomicInt64();
        long model = 0;
        for (int i = 0; i < 20_000; i++) {
            int op = rnd.nextInt(9);
            long x = VALUES[rnd.nextInt(VALUES.length)];
            long y = VALUES[rnd.nextInt(VALUES.length)];
            long want;
            long got;
            long oracle;
            switch (op) {
                case 0:
                    want = model;
                    got = padded.load();
                    oracle = plain.load();
                    break;
                case 1:
                    model = x;
                    padded.store(x);
                    plain.store(x);
                    want = got = oracle = x;             // store returns nothing
                    break;
                case 2:
                    want = model;
                    model = x;
                    got = padded.swap(x);
                    oracle = plain.swap(x);
                    break;
                case 3:
                    if (rnd.nextBoolean()) {
                        x = model;                       // make a successful CAS likely
                    }
                    want = x == model ? 1 : 0;
                    model = want == 1 ? y : model;
                    got = padded.compareAndSwap(x, y) ? 1 : 0;
                    oracle = plain.compareAndSwap(x, y) ? 1 : 0;
                    break;
                case 4:
                    model += x;
                    want = model;
                    got = padded.add(x);
                    oracle = plain.add(x);
                    break;
                case 5:
                    want = model;
                    model &= x;
                    got = padded.and(x);
                    oracle = plain.and(x);
                    break;
                case 6:
                    want = model;
                    model |= x;
                    got = padded.or(x);
                    oracle = plain.or(x);
                    break;
                case 7:
                    model = Math.max(model, x);
                    want = model;
                    got = padded.updateMax(x);
                    oracle = plain.updateMax(x);
                    break;
                default:
                    model = Math.min(model, x);
                    want = model;
                    got = padded.updateMin(x);
                    oracle = plain.updateMin(x);
                    break;
            }
            String step = "step " + i + ", op " + op + ", arg " + x;
            assertEquals(want, got, step);
            assertEquals(oracle, got, step);
            assertEquals(model, padded.load(), step);
        }
    }

    // Four threads mixing add, a CAS increment and updateMax lose no update, and updateMax
    // ends at the largest value any add returned.
    @Test
    void concurrentUpdatesLoseNothing() throws InterruptedException {
        PaddedAtomicInt64 count = new PaddedAtomicInt64();
        PaddedAtomicInt64 peak = new PaddedAtomicInt64(Long.MIN_VALUE);
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                long now;
                if ((i & 1) == 0) {
                    now = count.add(1);
                } else {
                    long v;
                    do {
                        v = count.load();
                    } while (!count.compareAndSwap(v, v + 1));
                    now = v + 1;
                }
                if (peak.updateMax(now) < now) {
                    throw new AssertionError("updateMax returned less than its candidate");
                }
            }
        });
        assertEquals((long) Hammer.THREADS * perThread, count.load());
        assertEquals((long) Hammer.THREADS * perThread, peak.load());
    }

    // The claim the class exists for: HotSpot placed at least 128 bytes of fields before the
    // value and at least 128 bytes after it.
    @Test
    void valueHasAtLeast128BytesOfFieldsOnEachSide() throws ReflectiveOperationException {
        long[] span = span(PaddedAtomicInt64.class);
        assertTrue(span[0] >= 128, "only " + span[0] + " bytes of fields before the value");
        assertTrue(span[1] >= 128, "only " + span[1] + " bytes of fields after the value");
    }

    // The layout measurement can fail: AtomicInt64's value has no field on either side.
    @Test
    void layoutCheckSeesAnUnpaddedValue() throws ReflectiveOperationException {
        long[] span = span(AtomicInt64.class);
        assertEquals(0, span[0]);
        assertEquals(0, span[1]);
    }

    /**
     * Bytes of instance fields laid out before the field {@code value} (from the first field)
     * and after it (to the end of the last field), from the offsets HotSpot reports. Reached
     * reflectively: {@code jdk.unsupported} opens {@code sun.misc}, and the module under test
     * does not read it. (On JDK 23+ the build allows Unsafe memory access for Lincheck, so no
     * deprecation warning is printed; elsewhere the warning is harmless.)
     */
    private static long[] span(Class<?> cls) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Method offsetOf = unsafeClass.getMethod("objectFieldOffset", Field.class);
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = cls; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                }
            }
        }
        long value = -1;
        long first = Long.MAX_VALUE;
        long end = 0;
        for (Field f : fields) {
            assertEquals(long.class, f.getType(), f.getName());
            long offset = (long) offsetOf.invoke(unsafe, f);
            first = Math.min(first, offset);
            end = Math.max(end, offset + Long.BYTES);
            if (f.getName().equals("value")) {
                value = offset;
            }
        }
        assertTrue(value >= 0, "no field named value in " + cls);
        return new long[] {value - first, end - (value + Long.BYTES)};
    }
}
