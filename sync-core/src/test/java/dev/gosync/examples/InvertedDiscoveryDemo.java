package dev.gosync.examples;

/**
 * One ordinary run of {@link InvertedDiscovery}, single-threaded, so it cannot deadlock: a few
 * health updates, a status page (parent, then each child), and one update with an alarming
 * lag (child, then parent). Run it with {@code -Ddev.gosync.lockorder=warn} and the checker
 * reports the inversion from this one run.
 */
public final class InvertedDiscoveryDemo {
    private InvertedDiscoveryDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        InvertedDiscovery d = new InvertedDiscovery();
        d.updateTablet("commerce", "zone1-100", 1);     // creates: parent, then child
        d.updateTablet("customer", "zone1-200", 2);
        d.updateTablet("commerce", "zone1-101", 0);     // existing: child only
        System.out.println("FACT status " + d.statusPage());    // parent, then each child
        d.updateTablet("commerce", "zone1-100", InvertedDiscovery.LAG_ALERT_SECONDS + 1);
        System.out.println("FACT lagging " + d.lagging());      // child, then parent: reported
    }
}
