package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    private static final PairFile.Pair PAIR = new PairFile.Pair(PairFile.State.UP, Path.of("/opt/colo"), List.of(), null);

    private static StatusCommand.NodeReport report(String nodeId, List<JmxClient.DiskStatus> disks) {
        return new StatusCommand.NodeReport(nodeId, "primary", 1234, true, true, "ALIVE", "CONNECTED", 65_000, null,
                disks);
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
