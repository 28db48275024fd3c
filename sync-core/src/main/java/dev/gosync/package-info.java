/**
 * Go's {@code sync} package for Java: {@code Mutex}, {@code RWMutex}, {@code Locker},
 * {@code Cond}, {@code Once}, {@code WaitGroup}, {@code Go}, {@code SyncMap} and {@code Pool}.
 *
 * <p>Names follow Go's, lower-camel-cased ({@code TryRLock} becomes {@code tryRLock}); three
 * collide with Java and are renamed: {@code Wait} becomes {@code await}, {@code Once.Do}
 * becomes {@code Once.run}. Go's panics on misuse become unchecked exceptions, thrown before any
 * state changes, with Go's message text. No blocking path uses {@code synchronized} or
 * {@code Object.wait}: waiting parks, so virtual threads never pin their carrier.
 */
package dev.gosync;
