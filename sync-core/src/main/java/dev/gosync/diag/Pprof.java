package dev.gosync.diag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes samples as pprof's profile.proto (github.com/google/pprof/proto/profile.proto),
 * gzipped, the way Go writes its mutex profile: two sample types, {@code contentions/count}
 * and {@code delay/nanoseconds}, period type {@code contentions/count} with period = the
 * sampling fraction, values scaled by it. One Location per distinct frame (one Line each), one
 * Function per distinct method; the lock's label goes in a {@code lock} string label. A
 * hand-written encoder of the few message types needed: no protobuf dependency.
 */
final class Pprof {
    // profile.proto field numbers
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_TIME_NANOS = 9;
    private static final int PROFILE_PERIOD_TYPE = 11;
    private static final int PROFILE_PERIOD = 12;
    private static final int VALUE_TYPE_TYPE = 1;
    private static final int VALUE_TYPE_UNIT = 2;
    private static final int SAMPLE_LOCATION_ID = 1;
    private static final int SAMPLE_VALUE = 2;
    private static final int SAMPLE_LABEL = 3;
    private static final int LABEL_KEY = 1;
    private static final int LABEL_STR = 2;
    private static final int LOCATION_ID = 1;
    private static final int LOCATION_LINE = 4;
    private static final int LINE_FUNCTION_ID = 1;
    private static final int LINE_LINE = 2;
    private static final int FUNCTION_ID = 1;
    private static final int FUNCTION_NAME = 2;
    private static final int FUNCTION_SYSTEM_NAME = 3;
    private static final int FUNCTION_FILENAME = 4;

    private Pprof() {
    }

    static void write(List<ContentionProfile.Sample> samples, int period, OutputStream out)
            throws IOException {
        Map<String, Long> strings = new LinkedHashMap<>();
        strings.put("", 0L);                        // string_table[0] must be ""
        Map<StackTraceElement, Long> locations = new LinkedHashMap<>();
        Map<String, Long> functions = new HashMap<>();
        Proto profile = new Proto();
        profile.message(PROFILE_SAMPLE_TYPE, valueType(strings, "contentions", "count"));
        profile.message(PROFILE_SAMPLE_TYPE, valueType(strings, "delay", "nanoseconds"));
        Proto fns = new Proto();
        Proto locs = new Proto();
        for (ContentionProfile.Sample s : samples) {
            Proto sample = new Proto();
            Proto ids = new Proto();
            for (StackTraceElement f : s.stack()) {
                Long id = locations.get(f);
                if (id == null) {
                    id = (long) locations.size() + 1;
                    locations.put(f, id);
                    locs.message(PROFILE_LOCATION, location(strings, functions, fns, f, id));
                }
                ids.varint(id);
            }
            sample.bytes(SAMPLE_LOCATION_ID, ids);
            Proto values = new Proto();
            values.varint(s.contentions() * period);
            values.varint(s.delayNanos() * period);
            sample.bytes(SAMPLE_VALUE, values);
            Proto label = new Proto();
            label.int64(LABEL_KEY, string(strings, "lock"));
            label.int64(LABEL_STR, string(strings, s.lock()));
            sample.message(SAMPLE_LABEL, label);
            profile.message(PROFILE_SAMPLE, sample);
        }
        profile.raw(locs);
        profile.raw(fns);
        profile.int64(PROFILE_TIME_NANOS, System.currentTimeMillis() * 1_000_000L);
        profile.message(PROFILE_PERIOD_TYPE, valueType(strings, "contentions", "count"));
        profile.int64(PROFILE_PERIOD, period);
        for (String str : strings.keySet()) {   // last: every string is known by now
            profile.string(PROFILE_STRING_TABLE, str);
        }
        GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out));
        profile.writeTo(gz);
        gz.finish();
        gz.flush();
    }

    private static Proto location(Map<String, Long> strings, Map<String, Long> functions,
            Proto fns, StackTraceElement f, long id) {
        String name = f.getClassName() + "." + f.getMethodName();
        Long fid = functions.get(name);
        if (fid == null) {
            fid = (long) functions.size() + 1;
            functions.put(name, fid);
            Proto fn = new Proto();
            fn.int64(FUNCTION_ID, fid);
            fn.int64(FUNCTION_NAME, string(strings, name));
            fn.int64(FUNCTION_SYSTEM_NAME, string(strings, name));
            fn.int64(FUNCTION_FILENAME, string(strings,
                    f.getFileName() == null ? "" : f.getFileName()));
            fns.message(PROFILE_FUNCTION, fn);
        }
        Proto line = new Proto();
        line.int64(LINE_FUNCTION_ID, fid);
        line.int64(LINE_LINE, Math.max(f.getLineNumber(), 0));
        Proto loc = new Proto();
        loc.int64(LOCATION_ID, id);
        loc.message(LOCATION_LINE, line);
        return loc;
    }

    private static Proto valueType(Map<String, Long> strings, String type, String unit) {
        Proto v = new Proto();
        v.int64(VALUE_TYPE_TYPE, string(strings, type));
        v.int64(VALUE_TYPE_UNIT, string(strings, unit));
        return v;
    }

    private static long string(Map<String, Long> strings, String s) {
        return strings.computeIfAbsent(s, k -> (long) strings.size());
    }

    /** A protobuf message being encoded (wire types 0 and 2 only). */
    private static final class Proto {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        void varint(long v) {
            while ((v & ~0x7FL) != 0L) {
                buf.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.write((int) v);
        }

        void int64(int field, long v) {
            varint((long) field << 3);
            varint(v);
        }

        void bytes(int field, Proto p) {
            varint(((long) field << 3) | 2);
            varint(p.buf.size());
            buf.writeBytes(p.buf.toByteArray());
        }

        void message(int field, Proto p) {
            bytes(field, p);
        }

        void string(int field, String s) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            varint(((long) field << 3) | 2);
            varint(b.length);
            buf.writeBytes(b);
        }

        void raw(Proto p) {
            buf.writeBytes(p.buf.toByteArray());
        }

        void writeTo(OutputStream out) throws IOException {
            buf.writeTo(out);
        }
    }

    /** Lets the gzip stream finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
