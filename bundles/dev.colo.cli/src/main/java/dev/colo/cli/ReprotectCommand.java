package dev.colo.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.ReprotectionPhase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.openmbean.CompositeData;

/**
 * {@code colo reprotect}: after a failover of the local pair, makes the node that ended the secondary of the one
 * that runs (its configured role set to secondary first: an old primary never comes back as primary), starts
 * it, and waits until the survivor's disks are in sync again (only the blocks that changed are copied) and a
 * full checkpoint has protected the pair.
 */
final class ReprotectCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "reprotect";
    }

    @Override
    public String usage() {
        return """
                reprotect [--dir DIR] [--timeout SECONDS] [--json]
                    After a failover of the pair in DIR (default ./pair): the node that is not running becomes the
                    secondary of the one that is (role = secondary in its etc/dev.colo.pair.cfg, so that an old
                    primary never comes back as primary), is started, and the pair is protected again: disk0
                    resynchronises the blocks that changed, a full checkpoint gives the new secondary's guest the
                    whole state. Waits (default %d s), printing the progress, until the new primary reports the pair
                    protected; records the roles and pids in DIR/pair.json. --json: the progress goes to standard
                    error, and standard output gets {"primary", "secondary", "protected", "seconds"}. With both nodes
                    running, asks the primary to re-protect now (nothing to do when the pair is protected) and waits
                    the same way."""
                .formatted(PairUpCommand.DEFAULT_TIMEOUT_SECONDS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "timeout");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Args args, PrintStream result) throws UsageException, CliException {
        boolean json = args.flag("json");
        PrintStream out = json ? System.err : result;
        Path dir = PairDirs.dir(args);
        int timeoutSeconds = args.intValue("timeout", PairUpCommand.DEFAULT_TIMEOUT_SECONDS, 10, 3600);
        PairFile.Pair pair = PairFile.readIn(dir, "start a pair with bin/colo pair up");
        List<PairFile.Node> running = pair.nodes().stream()
                .filter(node -> Processes.isOurs(node.pid(), node.home().toString())).toList();
        if (running.isEmpty()) {
            throw new CliException("no node of " + dir + " runs: start the pair with pair up");
        }
        if (running.size() == 2) {
            return reprotectRunning(pair, json, timeoutSeconds, out, result);
        }
        PairFile.Node survivor = running.get(0);
        PairFile.Node failed = pair.nodes().stream().filter(node -> node != survivor).findFirst().orElseThrow();
        try {
            String survivorRole = role(survivor);
            if (!"primary".equals(survivorRole)) {
                throw new CliException(survivor.nodeId() + " is the " + survivorRole + ", not the primary: fail it over "
                        + "first (operation failover of dev.colo:type=Failover), or start " + failed.nodeId()
                        + " again with pair restart");
            }
            NodeInstance.configureRole(failed.home(), "secondary");
            out.println(failed.nodeId() + " becomes the secondary of " + survivor.nodeId());
            long started = System.nanoTime();
            PairFile.Node restarted = PairUpCommand.start(pair.installation(), failed.withRole("secondary"), out);
            PairFile.Pair updated = pair.withNodes(pair.nodes().stream()
                    .map(node -> node == failed ? restarted : node.withRole("primary")).toList());
            PairFile.write(PairFile.in(dir), updated);
            boolean linked = PairUpCommand.waitUntilUp(updated, Duration.ofSeconds(timeoutSeconds), started, out,
                    PairUpCommand::linkUp, PairUpCommand::diskUp);
            if (!linked || !reprotect(survivor.withRole("primary"), started, timeoutSeconds, out)) {
                throw new CliException("the pair was not protected again within " + timeoutSeconds + " s (see "
                        + NodeInstance.log(survivor.home()) + " and " + NodeInstance.log(failed.home()) + ")");
            }
            report(survivor, failed, started, json, out, result);
            return 0;
        } catch (IOException e) {
            throw new CliException("reprotect: " + e.getMessage(), e);
        }
    }

    /**
     * Both nodes run: the primary is asked to re-protect its secondary now (it answers {@code already protected}
     * when there is nothing to do), and the pair is waited for as after a failover.
     */
    private static int reprotectRunning(PairFile.Pair pair, boolean json, int timeoutSeconds, PrintStream out,
            PrintStream result) throws CliException {
        try {
            PairFile.Node primary = null;
            for (PairFile.Node node : pair.nodes()) {
                if ("primary".equals(role(node))) {
                    primary = node;
                }
            }
            if (primary == null) {
                throw new CliException("both nodes run and neither is the primary: fail one over first (operation "
                        + "failover of dev.colo:type=Failover), or resolve a split brain with bin/colo resolve");
            }
            PairFile.Node kept = primary;
            PairFile.Node secondary = pair.nodes().stream().filter(node -> node != kept).findFirst().orElseThrow();
            long started = System.nanoTime();
            if (!reprotect(primary, started, timeoutSeconds, out)) {
                throw new CliException("the pair was not protected again within " + timeoutSeconds + " s (see "
                        + NodeInstance.log(primary.home()) + " and " + NodeInstance.log(secondary.home()) + ")");
            }
            report(primary, secondary, started, json, out, result);
            return 0;
        } catch (IOException e) {
            throw new CliException("reprotect: " + e.getMessage(), e);
        }
    }

    private static void report(PairFile.Node primary, PairFile.Node secondary, long startedNanos, boolean json,
            PrintStream out, PrintStream result) throws IOException {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("primary", primary.nodeId());
            report.put("secondary", secondary.nodeId());
            report.put("protected", true);
            report.put("seconds", Math.round(seconds * 10) / 10.0);
            result.println(JSON.std.asString(report));
        } else {
            out.printf("Re-protected in %.1f s: %s primary, %s secondary%n", seconds, primary.nodeId(),
                    secondary.nodeId());
        }
    }

    private static String role(PairFile.Node node) throws IOException {
        try (JmxClient client = JmxClient.connect(node.jmx(), JMX_TIMEOUT)) {
            return client.nodeStatus().role();
        }
    }

    /**
     * Invokes reprotect on the primary's Failover MXBean, then follows its Reprotection attribute, printing each
     * change of phase or percent, until the pair is protected.
     */
    private static boolean reprotect(PairFile.Node primary, long startedNanos, int timeoutSeconds, PrintStream out)
            throws IOException {
        long deadline = startedNanos + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (JmxClient client = JmxClient.connect(primary.jmx(), JMX_TIMEOUT)) {
            out.println(primary.nodeId() + ": " + client.invoke(FailoverMXBean.OBJECT_NAME, "reprotect"));
            String last = "";
            while (System.nanoTime() < deadline) {
                CompositeData progress = reprotection(client);
                if (progress == null) {
                    Thread.sleep(100);
                    continue;
                }
                String phase = String.valueOf(progress.get("phase"));
                String report = phase + " " + progress.get("resyncPercent") + " % (" + progress.get("detail") + ")";
                if (!report.equals(last)) {
                    out.printf("[%5.1f s] %s: %s%n", (System.nanoTime() - startedNanos) / 1e9, primary.nodeId(), report);
                    last = report;
                }
                if (ReprotectionPhase.PROTECTED.name().equals(phase)) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Reprotection attribute; null while it cannot be read (the survivor's components restarting). */
    private static CompositeData reprotection(JmxClient client) {
        try {
            return (CompositeData) client.attribute(FailoverMXBean.OBJECT_NAME, "Reprotection");
        } catch (IOException notNow) {
            return null;
        }
    }
}
