package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.FaultSuite;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault suite ({@link FaultSuite}) across two hosts: {@code bin/colo pair up --netns} runs each node in a
 * network namespace of its own, so the pair talks over a real interface (a veth pair); the link is cut with
 * nftables and by taking the veth down, and delayed with {@code tc netem} where the kernel has it. Skipped, saying
 * why, where network namespaces cannot be made (not root, no iproute2). {@code -Dfaults.rounds=N} for a soak.
 */
class TwoHostIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void theFaultSuiteHoldsWithEachNodeInANetworkNamespaceOfItsOwn() throws Exception {
        Path distribution = Distribution.orSkip("the two-host suite");
        String why = namespacesUnavailable();
        assumeTrue(why.isEmpty(), "skipping the two-host suite: " + why);
        int rounds = Integer.getInteger("faults.rounds", 1);
        Path work = Distribution.work("two-hosts");
        LocalPair pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT, "--netns");
        List<String> namespaces = pair.nodes().stream().map(node -> node.host().netns()).toList();
        try {
            assertEachNodeRunsInItsOwnNamespace(pair);
            FaultSuite.Summary summary = new FaultSuite(pair, System.out).withoutCheckpointSteps().withoutDiskFull()
                    .withoutOperatorFaults().withoutGuestFaults()
                    .run(rounds);
            assertEquals(List.of(), summary.lost(), "acknowledged writes lost: " + summary.report());
            assertTrue(summary.writesChecked() > 0, summary.report());
            assertTrue(summary.faults().containsKey("pair link down (veth)"), summary.report());
            assertTrue(summary.faults().containsKey("peer link cut (nftables)"), summary.report());
        } finally {
            pair.down();
        }
        String left = Processes.require(List.of("ip", "netns", "list"));
        for (String netns : namespaces) {
            assertFalse(left.contains(netns), "pair down removed " + netns + ": " + left);
        }
    }

    private static void assertEachNodeRunsInItsOwnNamespace(LocalPair pair) throws IOException {
        Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        List<Path> theirs = pair.nodes().stream().map(node -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc/" + node.pid() + "/ns/net"));
            } catch (IOException e) {
                throw new AssertionError(node.nodeId() + ": " + e, e);
            }
        }).toList();
        assertNotEquals(ours, theirs.get(0), "colo-a runs in a namespace of its own");
        assertNotEquals(ours, theirs.get(1), "colo-b runs in a namespace of its own");
        assertNotEquals(theirs.get(0), theirs.get(1), "not the same one");
        assertNotEquals(pair.nodes().get(0).host().linkAddress(), pair.nodes().get(1).host().linkAddress());
    }

    /** Why network namespaces cannot be made here; empty if they can. */
    private static String namespacesUnavailable() {
        String probe = "colo-probe-" + ProcessHandle.current().pid();
        try {
            Processes.require(List.of("ip", "netns", "add", probe));
            Processes.require(List.of("ip", "netns", "del", probe));
            return "";
        } catch (IOException e) {
            return "cannot make a network namespace (root and iproute2 are needed): " + e.getMessage();
        }
    }
}
