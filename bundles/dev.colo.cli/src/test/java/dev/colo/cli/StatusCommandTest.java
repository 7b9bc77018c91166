package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    /** The Progress of a node's failover that ended (no step). */
    private static final JmxClient.Progress DONE = new JmxClient.Progress("", 100, -1);
    private static final PairFile.Pair PAIR = new PairFile.Pair(PairFile.State.UP, Path.of("/opt/colo"), List.of(), null,
            null, null);

    private static StatusCommand.NodeReport report(String nodeId, List<JmxClient.DiskStatus> disks) {
        return report(nodeId, JmxClient.Protection.UNKNOWN, disks);
    }

    private static StatusCommand.NodeReport report(String nodeId, JmxClient.Protection protection,
            List<JmxClient.DiskStatus> disks) {
        return report(nodeId, "primary", protection, disks);
    }

    private static StatusCommand.NodeReport report(String nodeId, String role, JmxClient.Protection protection,
            List<JmxClient.DiskStatus> disks) {
        return new StatusCommand.NodeReport(nodeId, role, 1234, true, true, "ALIVE", "CONNECTED", 65_000, null,
                protection, disks, "OK", List.of());
    }

    /** What the checkpoints of a protected pair say, with the primary's services as given. */
    private static JmxClient.Protection checkpointsProtect(JmxClient.ServiceStatus... services) {
        return new JmxClient.Protection(true, 42L, "NONE", DONE, new JmxClient.Progress("PROTECTED", 100, 0L),
                List.of(services));
    }

    @Test
    void shouldNotCallThePairProtectedWhileAServiceOfThePrimaryDoesNotListen() throws Exception {
        JmxClient.Protection refused = checkpointsProtect(new JmxClient.ServiceStatus("kv", "127.0.0.1:40017", false),
                new JmxClient.ServiceStatus("web", "0.0.0.0:8080", true));

        List<String> lines = StatusCommand.lines(report("colo-b", refused, List.of())).lines().toList();
        assertEquals(List.of("         protected no (kv not listening)  checkpoint epoch 42  failover NONE",
                "         service kv       listening no  on 127.0.0.1:40017",
                "         service web      listening yes on 0.0.0.0:8080"), lines.subList(1, lines.size()));
        Map<String, Object> node = nodes(StatusCommand.json(PAIR, List.of(report("colo-b", refused, List.of()))))
                .get(0);
        assertEquals(false, node.get("protected"));
        assertEquals(List.of(Map.of("name", "kv", "listenAddress", "127.0.0.1:40017", "listening", false),
                Map.of("name", "web", "listenAddress", "0.0.0.0:8080", "listening", true)), node.get("services"));
    }

    @Test
    void shouldCallThePairProtectedOnceEveryServiceListens() throws Exception {
        JmxClient.Protection listening = checkpointsProtect(new JmxClient.ServiceStatus("kv", "127.0.0.1:40017",
                true));

        assertEquals(List.of("         protected yes  checkpoint epoch 42  failover NONE",
                "         service kv       listening yes on 127.0.0.1:40017"),
                StatusCommand.lines(report("colo-b", listening, List.of())).lines().skip(1).toList());
        assertEquals(true, nodes(StatusCommand.json(PAIR, List.of(report("colo-b", listening, List.of())))).get(0)
                .get("protected"));
    }

    @Test
    void shouldShowNoServiceOfASecondaryWhichNeverListens() throws Exception {
        JmxClient.Protection secondary = new JmxClient.Protection(false, 42L, "NONE", DONE,
                new JmxClient.Progress("NOT_PRIMARY", 100, 0L),
                List.of(new JmxClient.ServiceStatus("kv", "127.0.0.1:40017", false)));

        assertEquals(List.of("         protected no  checkpoint epoch 42  failover NONE"),
                StatusCommand.lines(report("colo-a", "secondary", secondary, List.of())).lines().skip(1).toList());
        assertEquals(null, nodes(StatusCommand.json(PAIR, List.of(report("colo-a", "secondary", secondary,
                List.of())))).get(0).get("services"));
    }

    @Test
    void shouldShowAFailedNodeWithWhatFailed() throws Exception {
        StatusCommand.NodeReport failed = new StatusCommand.NodeReport("colo-a", "primary", 1234, true, true, "ALIVE",
                "CONNECTED", 65_000, null, JmxClient.Protection.UNKNOWN, List.of(), "FAILED",
                List.of("guest kv: its I/O thread colo-guest-kv-io-2 died: java.lang.OutOfMemoryError"));
        assertTrue(StatusCommand.line(failed).endsWith(
                "  health FAILED (guest kv: its I/O thread colo-guest-kv-io-2 died: java.lang.OutOfMemoryError)"),
                StatusCommand.line(failed));
        assertEquals("FAILED", nodes(StatusCommand.json(PAIR, List.of(failed))).get(0).get("health"));
        assertTrue(!StatusCommand.line(report("colo-b", JmxClient.Protection.UNKNOWN, List.of())).contains("health"));
    }

    @Test
    void shouldShowProtectionAndReprotectionWhileItRuns() {
        JmxClient.Protection resyncing = new JmxClient.Protection(false, 41L, "COMPLETED", DONE,
                new JmxClient.Progress("RESYNCHRONISING", 45, 12L), List.of());
        List<String> lines = StatusCommand.lines(report("colo-b", resyncing, List.of())).lines().toList();
        assertEquals("         protected no  checkpoint epoch 41  failover COMPLETED  reprotection RESYNCHRONISING 45 % "
                + "(ETA 12 s)", lines.get(1));
        JmxClient.Protection done = new JmxClient.Protection(true, 42L, "NONE", DONE,
                new JmxClient.Progress("PROTECTED", 100, 0L), List.of());
        assertEquals("         protected yes  checkpoint epoch 42  failover NONE",
                StatusCommand.lines(report("colo-a", done, List.of())).lines().toList().get(1));
    }

    @Test
    void shouldShowAFailoverUnderWayWithItsStepAndCommit() throws Exception {
        JmxClient.Protection committing = new JmxClient.Protection(false, 41L, "ACTIVE",
                new JmxClient.Progress("committing the disks", 40, 3), new JmxClient.Progress("NOT_PRIMARY", 100, 0),
                List.of());
        assertEquals("         protected no  checkpoint epoch 41  failover ACTIVE (committing the disks 40 % (ETA 3 s))",
                StatusCommand.lines(report("colo-b", committing, List.of())).lines().toList().get(1));
        Map<String, Object> node = nodes(StatusCommand.json(PAIR, List.of(report("colo-b", committing, List.of()))))
                .get(0);
        assertEquals(Map.of("step", "committing the disks", "commitPercent", 40, "commitEtaSeconds", 3),
                node.get("failoverProgress"));
    }

    @Test
    void shouldWriteProtectionAsJson() throws Exception {
        JmxClient.Protection resyncing = new JmxClient.Protection(false, 41L, "COMPLETED", DONE,
                new JmxClient.Progress("RESYNCHRONISING", 45, -1L), List.of());
        Map<String, Object> node = nodes(StatusCommand.json(PAIR, List.of(report("colo-b", resyncing, List.of()))))
                .get(0);
        assertEquals(false, node.get("protected"));
        assertEquals(41, node.get("checkpointEpoch"));
        assertEquals("COMPLETED", node.get("failover"));
        assertEquals(Map.of("phase", "RESYNCHRONISING", "resyncPercent", 45, "resyncEtaSeconds", -1),
                node.get("reprotection"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(String json) throws Exception {
        return (List<Map<String, Object>>) JSON.std.mapFrom(json).get("nodes");
    }

    @Test
    void shouldShowEachDiskBelowItsNode() {
        String text = StatusCommand.lines(report("colo-a",
                List.of(PairUpCommandTest.disk("primary", "RUNNING", false, ""))));

        List<String> lines = text.lines().toList();
        assertEquals(2, lines.size(), text);
        assertTrue(lines.get(0).startsWith("colo-a   primary"), text);
        assertEquals("         disk disk0    stage RUNNING         degraded no  epoch 1      dirty 0 B", lines.get(1));
        assertEquals(1, StatusCommand.lines(report("colo-b", List.of())).lines().count());
    }

    @Test
    void shouldWriteTheDisksOfEachNodeAsJson() throws Exception {
        String json = StatusCommand.json(PAIR, List.of(
                report("colo-a", List.of(PairUpCommandTest.disk("primary", "RUNNING", true, "peer gone"))),
                report("colo-b", List.of())));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) JSON.std.mapFrom(json).get("nodes");
        assertEquals(List.of(Map.of("name", "disk0", "stage", "RUNNING", "degraded", true, "epoch", 1,
                "dirtyBytes", 0, "error", "peer gone")), nodes.get(0).get("disks"));
        assertEquals(List.of(), nodes.get(1).get("disks"));
    }
}
