package dev.gosync.stress;

import dev.gosync.atomic.AtomicValue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link AtomicValue}. */
public class AtomicValueStress {
    private AtomicValueStress() {
    }

    /** A configuration object with deliberately non-final fields. */
    static final class Config {
        int port;
        int timeout;
    }

    /**
     * The first {@code store} into an empty Value (the CAS-from-empty path) publishes an object
     * built with plain writes: a reader that loads it sees both fields.
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "still empty")
    @Outcome(id = "80, 30", expect = ACCEPTABLE, desc = "stored config, fully built")
    @Outcome(expect = FORBIDDEN,
            desc = "stored config seen half-built: store does not publish the writes before it")
    @State
    public static class StorePublishes {
        final AtomicValue v = new AtomicValue();

        @Actor
        public void writer() {
            Config c = new Config();
            c.port = 80;
            c.timeout = 30;
            v.store(c);
        }

        @Actor
        public void reader(II_Result r) {
            Object o = v.load();
            if (o == null) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                Config c = (Config) o;
                r.r1 = c.port;
                r.r2 = c.timeout;
            }
        }
    }
}
