/**
 * Go's {@code sync} package and {@code golang.org/x/sync} for the JVM.
 */
module dev.gosync {
    requires transitive dev.gosync.atomic;
    requires org.jctools.core.jdk11;
    requires jdk.jfr;      // the JDK's own Flight Recorder: dev.gosync.* wait events, off by default

    exports dev.gosync;
    exports dev.gosync.chan;
    exports dev.gosync.context;
    exports dev.gosync.diag;
    exports dev.gosync.errgroup;
    exports dev.gosync.semaphore;
    exports dev.gosync.singleflight;
}
