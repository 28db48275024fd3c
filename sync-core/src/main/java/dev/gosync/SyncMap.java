package dev.gosync;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A map that many threads may read and write at once without further locking: Go's
 * {@code sync.Map} for the JVM.
 *
 * <p><b>Go equivalent:</b> {@code sync.Map}. Go's {@code Load}, {@code Store},
 * {@code LoadOrStore}, {@code LoadAndDelete}, {@code Delete}, {@code Swap},
 * {@code CompareAndSwap}, {@code CompareAndDelete}, {@code Range} and {@code Clear} are
 * {@link #load}, {@link #store}, {@link #loadOrStore}, {@link #loadAndDelete}, {@link #delete},
 * {@link #swap}, {@link #compareAndSwap}, {@link #compareAndDelete}, {@link #range} and
 * {@link #clear}. Go's second result ({@code ok}, {@code loaded}) is spelled as a {@code null}
 * return meaning "absent": that is why nulls are rejected (see <b>Misuse</b>). Like Go's, there
 * is no {@code size()}. As Go's documentation says, most code is better served by a plain map
 * with its own lock, or here by {@link ConcurrentHashMap}; {@code SyncMap} is for Go code being
 * ported and for the two cases Go names: entries written once and read many times (caches that
 * only grow), and threads that read and write disjoint sets of keys. {@link #asMap()} views it
 * as a {@link ConcurrentMap} for code that wants one.
 *
 * <p>Each operation is atomic with respect to every other operation on the same key, and the
 * eight single-key operations are linearizable. {@link #range} is not a snapshot: it visits
 * every key that is present for the whole call exactly once, visits no key twice, may or may
 * not visit keys stored or deleted during the call, and may show any value a key held during
 * the call. It never throws {@link java.util.ConcurrentModificationException}, does not block
 * other methods, and its callback may call any method of this map. {@link #clear} removes the
 * keys one at a time; a key stored concurrently with it may survive.
 *
 * <p><b>Memory consistency effects:</b> as in Go, a write operation happens-before every read
 * operation that observes its effect. Write operations are {@code store}, {@code swap},
 * {@code delete}, {@code loadAndDelete}, a {@code loadOrStore} that stored (returned
 * {@code null}), a {@code compareAndSwap} or {@code compareAndDelete} that returned
 * {@code true}. Read operations are {@code load}, {@code loadOrStore}, {@code loadAndDelete},
 * {@code swap}, {@code compareAndSwap} and {@code compareAndDelete}; the callback of
 * {@code range} also observes the writes whose values it is given. In particular, whatever a
 * thread did to a value before storing it is visible to any thread that loads that value.
 *
 * <p><b>Misuse:</b> a {@code null} key, value, old value or callback throws
 * {@link NullPointerException} naming the argument, before any change. Keys must have
 * consistent {@code equals}/{@code hashCode} (Go's "comparable" rule); values are compared with
 * {@code equals} by {@code compareAndSwap} and {@code compareAndDelete}. Those {@code equals}
 * methods (and a key's {@code compareTo}, when many keys collide) may run while a bin of the
 * table is locked (see <b>Progress</b>), so they must be quick and must not write to this map
 * (a write from inside one is unsupported: it may deadlock with another bin's writer).
 *
 * <p><b>Progress:</b> {@code load}, and {@code loadOrStore} when the key is present, never
 * block and never write shared memory (lock-free reads of the table). Writers lock one hash bin
 * of the table (a {@code synchronized} monitor of {@link ConcurrentHashMap}), so a writer waits
 * only for other writers of the same bin. User code does run while a bin is locked: the
 * {@code equals} of the keys in that bin (keys whose hashes collide) and, in
 * {@code compareAndSwap} and {@code compareAndDelete}, {@code oldValue.equals(current)}. A slow
 * or blocking {@code equals} therefore stalls every writer of that bin for as long as it runs,
 * and on JDK 21 to 23 a virtual thread that blocks inside it, or waits to enter that bin's
 * monitor, pins its carrier thread (JDK 24 and later do not pin in monitors). With quick
 * {@code equals} methods a bin is held for a few instructions. {@code range} never blocks
 * writers.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class SyncMap<K, V> {
    /*
     * Implementation notes.
     *
     * Backing structure: a java.util.concurrent.ConcurrentHashMap, whose reads take no lock and
     * whose writes lock one bin. load() must stay within 1.1x of ConcurrentHashMap.get; a
     * wrapper that adds only a null check to get() does that by construction.
     *  - Rejected: Go's hash-trie (HashTrieMap, Go 1.24+), because it walks up to 16 levels of
     *    atomic pointers per load to avoid a map-wide lock that CHM does not have.
     *  - Rejected: JCTools' NonBlockingHashMap, lock-free for writers too, because it reads and
     *    writes through sun.misc.Unsafe, which warns at first use on JDK 24+ (JEP 498) and
     *    whose memory-access methods a later JDK removes, so a library cannot depend on it at
     *    run time (nor were its loads faster: sync-bench/NOTES.md).
     *  - Rejected: Go's pre-1.24 read/dirty design, because it exists to make reads lock-free
     *    over a Go map that is not concurrent, and CHM already is.
     * The price is CHM's per-bin monitor for writers. It is held around user code: the keys'
     * equals() for colliding keys, and in replace(k, old, new)/remove(k, old) (compareAndSwap,
     * compareAndDelete) old.equals(current). With quick equals methods that is a few
     * instructions; a slow one stalls that bin's writers and, on JDK 21-23, pins a virtual
     * thread (JEP 491 ended monitor pinning in JDK 24). Documented, not designed away.
     * Rejected: an identity-comparing CAS, because it would break Go's value comparison (and a
     * lock-free table means NBHM or a trie, above).
     *
     * Values are stored directly (no per-entry box): a box would cost every load a second
     * dependent read, and CHM's replace/remove(key, value) already are Go's CompareAndSwap and
     * CompareAndDelete with equals() as Go's ==.
     *
     * range(): CHM's weakly consistent iterator visits every entry present when it was created
     * exactly once, but not "no key twice": if a key the iterator has passed is deleted and
     * stored again, the new node is appended to the end of its bin's chain and a walk still in
     * that chain meets the key a second time. Go promises "no key will be visited more than
     * once", so range() remembers the keys it has handed to the callback and skips repeats.
     * That costs one HashSet insertion per visited key (Go says Range may be O(N) anyway) and
     * adds nothing to any other operation; the alternative designs (tombstones instead of
     * removal while a range runs, or deleters telling running ranges what they removed) cost
     * every delete a second table operation or a fence plus shared writes, and disjoint-key
     * writers are exactly the workload sync.Map is for.
     *
     * clear(): removes key by key through the same map. Swapping in a fresh table would make a
     * store that raced with clear() vanish after its own return, which is not linearizable; CHM's
     * clear() is no more atomic than this, and Go does not classify Clear either.
     */

    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();

    /** The map view handed out by {@link #asMap()}; created on first use. */
    private View<K, V> view;   // benign race: any thread may create one, all are equivalent

    /** Creates an empty map (Go's zero {@code sync.Map}, ready to use). */
    public SyncMap() {
    }

    /**
     * Returns the value stored for a key, or {@code null} if there is none (Go's
     * {@code Load}).
     *
     * @param key the key
     * @return the value, or {@code null} if the key is absent
     * @throws NullPointerException if {@code key} is null
     */
    public V load(K key) {
        return map.get(Objects.requireNonNull(key, "key"));
    }

    /**
     * Sets the value for a key (Go's {@code Store}).
     *
     * @param key the key
     * @param value the value
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public void store(K key, V value) {
        map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * Returns the value present for a key, or stores {@code value} and returns {@code null}
     * (Go's {@code LoadOrStore}; a {@code null} return is Go's {@code loaded == false}). Of
     * several threads calling this on one absent key, exactly one stores and every call returns
     * either {@code null} (the one that stored) or that same stored value.
     *
     * @param key the key
     * @param value the value to store if the key is absent
     * @return the existing value, or {@code null} if {@code value} was stored
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public V loadOrStore(K key, V value) {
        Objects.requireNonNull(value, "value");
        // A present key is answered by a read alone: putIfAbsent locks the bin unless the key
        // happens to be the bin's first node, and a hit is the common case this map is for.
        V present = map.get(Objects.requireNonNull(key, "key"));
        return present != null ? present : map.putIfAbsent(key, value);
    }

    /**
     * Deletes a key and returns the value it had, or {@code null} if it was absent (Go's
     * {@code LoadAndDelete}). Of several threads calling this on one present key, exactly one
     * gets the value.
     *
     * @param key the key
     * @return the value removed, or {@code null} if the key was absent
     * @throws NullPointerException if {@code key} is null
     */
    public V loadAndDelete(K key) {
        return map.remove(Objects.requireNonNull(key, "key"));
    }

    /**
     * Deletes a key; does nothing if it is absent (Go's {@code Delete}).
     *
     * @param key the key
     * @throws NullPointerException if {@code key} is null
     */
    public void delete(K key) {
        map.remove(Objects.requireNonNull(key, "key"));
    }

    /**
     * Stores a value for a key and returns the previous value, or {@code null} if the key was
     * absent (Go's {@code Swap}).
     *
     * @param key the key
     * @param value the new value
     * @return the previous value, or {@code null} if the key was absent
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public V swap(K key, V value) {
        return map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * Replaces the value of a key with {@code newValue} if its current value {@code equals}
     * {@code oldValue} (Go's {@code CompareAndSwap}). An absent key never matches.
     *
     * @param key the key
     * @param oldValue the value expected
     * @param newValue the value to store
     * @return whether the value was replaced
     * @throws NullPointerException if any argument is null
     */
    public boolean compareAndSwap(K key, V oldValue, V newValue) {
        return map.replace(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(oldValue, "oldValue"),
                Objects.requireNonNull(newValue, "newValue"));
    }

    /**
     * Deletes a key if its current value {@code equals} {@code oldValue} (Go's
     * {@code CompareAndDelete}). An absent key never matches.
     *
     * @param key the key
     * @param oldValue the value expected
     * @return whether the key was deleted
     * @throws NullPointerException if {@code key} or {@code oldValue} is null
     */
    public boolean compareAndDelete(K key, V oldValue) {
        return map.remove(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(oldValue, "oldValue"));
    }

    /**
     * Calls {@code f} for each key and value in the map, in no particular order, until
     * {@code f} returns {@code false} (Go's {@code Range}). No key is visited twice; every key
     * present for the whole call is visited once; a key stored or deleted during the call (by
     * {@code f} or by another thread) may or may not be visited, with any value it held during
     * the call. {@code f} may call any method of this map. An exception thrown by {@code f}
     * ends the call and reaches the caller. The call may cost time proportional to the size of
     * the map even when {@code f} stops early.
     *
     * @param f the callback; returns {@code false} to stop
     * @throws NullPointerException if {@code f} is null
     */
    public void range(BiPredicate<? super K, ? super V> f) {
        Objects.requireNonNull(f, "f");
        Set<K> visited = null;   // created at the second key: a map of 0 or 1 keys needs none
        K first = null;
        for (Map.Entry<K, V> e : map.entrySet()) {
            K k = e.getKey();
            if (first == null) {
                first = k;
            } else {
                if (visited == null) {
                    visited = new HashSet<>();
                    visited.add(first);
                }
                if (!visited.add(k)) {
                    continue;   // met again after a delete and re-store: Go visits it once
                }
            }
            if (!f.test(k, e.getValue())) {
                return;
            }
        }
    }

    /** Deletes every key (Go's {@code Clear}); keys stored concurrently may remain. */
    public void clear() {
        for (K k : map.keySet()) {
            map.remove(k);
        }
    }

    /**
     * Returns a {@link ConcurrentMap} view of this map, for code that takes a Java map: reads
     * and writes through the view are reads and writes of this map, with the same atomicity and
     * memory effects, and its {@code null} rules are {@link ConcurrentHashMap}'s. Its iterators
     * are weakly consistent as {@link ConcurrentHashMap}'s are: unlike {@link #range}, they may
     * meet a key twice if it is deleted and stored again during the iteration. The compute and
     * merge methods run their function while holding a lock on part of the map, so the function
     * must be short and must not touch this map.
     *
     * @return a live {@code ConcurrentMap} view
     */
    public ConcurrentMap<K, V> asMap() {
        View<K, V> v = view;
        if (v == null) {
            view = v = new View<>(map);
        }
        return v;
    }

    /**
     * Returns a string of the entries, as {@link ConcurrentHashMap#toString()} does; not a
     * snapshot if other threads write meanwhile.
     *
     * @return the entries in {@code {k1=v1, k2=v2}} form
     */
    @Override
    public String toString() {
        return map.toString();
    }

    /**
     * The {@code asMap()} view: forwards each method to the backing map. A separate class, not
     * the backing map itself, so that callers cannot depend on (or cast to) the implementation.
     */
    private static final class View<K, V> implements ConcurrentMap<K, V> {
        private final ConcurrentHashMap<K, V> m;

        View(ConcurrentHashMap<K, V> m) {
            this.m = m;
        }

        @Override public int size() { return m.size(); }
        @Override public boolean isEmpty() { return m.isEmpty(); }
        @Override public boolean containsKey(Object key) { return m.containsKey(key); }
        @Override public boolean containsValue(Object value) { return m.containsValue(value); }
        @Override public V get(Object key) { return m.get(key); }
        @Override public V put(K key, V value) { return m.put(key, value); }
        @Override public V remove(Object key) { return m.remove(key); }
        @Override public void putAll(Map<? extends K, ? extends V> other) { m.putAll(other); }
        @Override public void clear() { m.clear(); }
        @Override public Set<K> keySet() { return m.keySet(); }
        @Override public Collection<V> values() { return m.values(); }
        @Override public Set<Map.Entry<K, V>> entrySet() { return m.entrySet(); }
        @Override public V getOrDefault(Object key, V dflt) { return m.getOrDefault(key, dflt); }
        @Override public void forEach(BiConsumer<? super K, ? super V> action) {
            m.forEach(action);
        }
        @Override public V putIfAbsent(K key, V value) { return m.putIfAbsent(key, value); }
        @Override public boolean remove(Object key, Object value) { return m.remove(key, value); }
        @Override public boolean replace(K key, V oldValue, V newValue) {
            return m.replace(key, oldValue, newValue);
        }
        @Override public V replace(K key, V value) { return m.replace(key, value); }
        @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> fn) {
            m.replaceAll(fn);
        }
        @Override public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
            return m.computeIfAbsent(key, fn);
        }
        @Override public V computeIfPresent(K key,
                BiFunction<? super K, ? super V, ? extends V> fn) {
            return m.computeIfPresent(key, fn);
        }
        @Override public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
            return m.compute(key, fn);
        }
        @Override public V merge(K key, V value,
                BiFunction<? super V, ? super V, ? extends V> fn) {
            return m.merge(key, value, fn);
        }
        @Override public boolean equals(Object o) { return o == this || m.equals(o); }
        @Override public int hashCode() { return m.hashCode(); }
        @Override public String toString() { return m.toString(); }
    }
}
