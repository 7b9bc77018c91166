package dev.colo.itests.support;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The invariants a pair must keep through any fault (DESIGN §10), checked from outside as an operator would. */
public final class PairChecks {
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(90);

    private PairChecks() {
    }

    /** The node in {@code role}, as {@code pair.json} records it. */
    public static LocalPair.Node node(LocalPair pair, String role) {
        return pair.nodes().stream().filter(node -> role.equals(node.role())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role + " in " + pair.nodes()));
    }

    /**
     * Waits until the primary checkpoints its secondary and its proxy compares, and then for one more checkpoint:
     * writes acknowledged while the pair was not protected (degraded, or before protection started) are the
     * secondary's only once a checkpoint after protection started has taken them.
     */
    public static void awaitProtected(LocalPair pair) throws IOException, InterruptedException {
        LocalPair.Node primary = node(pair, "primary");
        try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "Protecting");
                NodeMBean proxy = NodeMBean.of(primary, "Proxy", pair.service().name(), "Statistics")) {
            checkpoints.await("protecting", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
            proxy.await("comparing", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
            long epoch = ((Number) checkpoints.attribute("Epoch")).longValue();
            checkpoints.await("a checkpoint after epoch " + epoch, bean -> (Boolean) bean.unchecked("Protecting")
                    && ((Number) bean.unchecked("Epoch")).longValue() > epoch, STATE_TIMEOUT);
        }
    }

    /**
     * The disks identical after a checkpoint: with the load paused, a checkpoint is taken, and then each disk's
     * view on the primary and on the secondary (A over H over S, A and H just emptied) must hold the same bytes,
     * as {@code qemu-img compare} reads them over NBD. Skipped, saying so, without qemu-img.
     */
    public static void disksIdentical(LocalPair pair, ClientLoad load, String when) throws Exception {
        if (!ThisMachine.hasTool("qemu-img")) {
            System.out.println("[checks] " + when + ": disks not compared: qemu-img is not installed (qemu-utils)");
            return;
        }
        LocalPair.Node primary = node(pair, "primary");
        LocalPair.Node secondary = node(pair, "secondary");
        load.pause();
        try {
            try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "Epoch")) {
                long epoch = ((Number) checkpoints.attribute("Epoch")).longValue();
                checkpoints.invoke("checkpointNow");
                checkpoints.await("a checkpoint after epoch " + epoch, bean -> (Boolean) bean.unchecked("Protecting")
                        && ((Number) bean.unchecked("Epoch")).longValue() > epoch, STATE_TIMEOUT);
            }
            for (LocalPair.Disk disk : primary.disks()) {
                String other = secondary.disk(disk.name()).nbdUri();
                Processes.Result compare = Processes.run(List.of("qemu-img", "compare", "-f", "raw", "-F", "raw",
                        disk.nbdUri(), other), null, pair.dir().resolve("compare-" + disk.name() + ".log"),
                        Duration.ofMinutes(5));
                if (compare.exit() != 0) {
                    throw new AssertionError(when + ": disk " + disk.name() + " differs between the primary ("
                            + disk.nbdUri() + ") and the secondary (" + other + ") after a checkpoint: "
                            + compare.output().strip());
                }
            }
            System.out.printf("[checks] %s: disks identical after a checkpoint%n", when);
        } finally {
            load.resume();
        }
    }

    /** Exactly one primary, every acknowledged write there (the load paused meanwhile); fails naming {@code when}. */
    public static void check(LocalPair pair, ClientLoad load, String when) throws Exception {
        List<String> roles = new ArrayList<>();
        for (LocalPair.Node node : pair.nodes()) {
            try (NodeMBean bean = NodeMBean.at(node, "dev.colo:type=Node", "Role")) {
                roles.add(String.valueOf(bean.attribute("Role")));
            }
        }
        if (roles.stream().filter("primary"::equals).count() != 1) {
            throw new AssertionError(when + ": not exactly one primary: " + roles);
        }
        load.pause();
        try {
            List<String> lost = load.lost();
            if (!lost.isEmpty()) {
                throw new AssertionError(when + ": " + lost.size() + " acknowledged writes lost, e.g. "
                        + lost.subList(0, Math.min(5, lost.size())));
            }
            System.out.printf("[checks] %s: one primary, %d acknowledged writes, the last of each key there%n", when,
                    load.acknowledgedCount());
        } finally {
            load.resume();
        }
    }
}
