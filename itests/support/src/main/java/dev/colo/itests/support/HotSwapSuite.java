package dev.colo.itests.support;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hot swap under load: {@code bundle:update} of each of the appliance's bundles in turn, in the primary's console,
 * while a client writes through the protected service. After each: the pair protected again, one primary, every
 * acknowledged write there; and how long the service went without protection, as the primary's proxy reported it
 * (polled over JMX every 10 ms; a proxy bean that is gone counts as unprotected).
 */
public final class HotSwapSuite {
    /** The bundles an operator may update while the pair serves: transport, NBD, replication, proxy, … */
    public static final List<String> BUNDLES = List.of("dev.colo.transport", "dev.colo.nbd", "dev.colo.replication",
            "dev.colo.proxy", "dev.colo.checkpoint", "dev.colo.management",
            "dev.colo.management.rmi", "dev.colo.mqtt", "dev.colo.guest.kv");
    private static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(60);

    /** One bundle's swap: how long the pair was unprotected, and the writes checked after it. */
    public record Swap(String bundle, long unprotectedMillis, long writesChecked) {
    }

    private final LocalPair pair;
    private final PrintStream out;

    public HotSwapSuite(LocalPair pair, PrintStream out) {
        this.pair = pair;
        this.out = out;
    }

    public List<Swap> run(List<String> bundles) throws Exception {
        List<Swap> swaps = new ArrayList<>();
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        try (ClientLoad load = new ClientLoad(service, "swap")) {
            PairChecks.awaitProtected(pair);
            for (String bundle : bundles) {
                swaps.add(swap(bundle, load));
            }
        }
        out.println("[hot swap] bundle                 unprotected (ms)  writes checked");
        swaps.forEach(swap -> out.printf("[hot swap] %-22s %16d  %14d%n", swap.bundle(), swap.unprotectedMillis(),
                swap.writesChecked()));
        return swaps;
    }

    private Swap swap(String bundle, ClientLoad load) throws Exception {
        LocalPair.Node primary = PairChecks.node(pair, "primary");
        try (ProtectionWatch watch = new ProtectionWatch(primary, pair.service().name())) {
            Processes.Result update = pair.console(primary, "bundle:update " + bundle, CONSOLE_TIMEOUT);
            if (update.exit() != 0 || update.output().contains("Error")) {
                throw new AssertionError("bundle:update " + bundle + " failed: " + update.output());
            }
            PairChecks.awaitProtected(pair);
            PairChecks.check(pair, load, "after bundle:update " + bundle);
            return new Swap(bundle, watch.unprotectedMillis(), load.acknowledgedCount());
        }
    }

    /** Polls the primary's proxy: the longest stretch without protection while it runs. */
    private static final class ProtectionWatch implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long longestMillis;

        ProtectionWatch(LocalPair.Node primary, String service) {
            thread = new Thread(() -> watch(primary, service), "protection-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch(LocalPair.Node primary, String service) {
            long unprotectedSince = -1;
            NodeMBean proxy = null;
            while (running) {
                boolean protecting;
                try {
                    if (proxy == null) {
                        proxy = NodeMBean.of(primary, "Proxy", service, "Statistics");
                    }
                    protecting = Boolean.TRUE.equals(proxy.attribute("Protecting"));
                } catch (Exception gone) {
                    protecting = false; // the bean (or JMX) is away: not served, so not protected either
                    closeQuietly(proxy);
                    proxy = null;
                }
                long now = System.nanoTime();
                if (!protecting && unprotectedSince < 0) {
                    unprotectedSince = now;
                } else if (protecting && unprotectedSince >= 0) {
                    longestMillis = Math.max(longestMillis, (now - unprotectedSince) / 1_000_000);
                    unprotectedSince = -1;
                }
                sleep();
            }
            closeQuietly(proxy);
        }

        long unprotectedMillis() {
            return longestMillis;
        }

        private static void sleep() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void closeQuietly(NodeMBean bean) {
            if (bean != null) {
                try {
                    bean.close();
                } catch (Exception ignored) {
                    // going anyway
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
