package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmxClientTest {

    @Test
    void shouldNameTheReplicationMBeanByTheQuotedDiskName() throws Exception {
        assertEquals("dev.colo:type=Replication,name=\"disk0\"", JmxClient.replication("disk0").toString());
        assertEquals(JmxClient.replication("disk0"), new javax.management.ObjectName(
                "dev.colo:type=Replication,name=" + javax.management.ObjectName.quote("disk0")));
        assertEquals(true, JmxClient.REPLICATION_PATTERN.apply(JmxClient.replication("disk0")));
    }

    @Test
    void shouldMakeADiskStatusOfTheAttributes() {
        Map<String, Object> values = new HashMap<>();
        values.put("DiskName", "disk0");
        values.put("Role", "primary");
        values.put("Stage", "RUNNING");
        values.put("Epoch", 7L);
        values.put("Degraded", true);
        values.put("DirtyBytes", 4096L);
        values.put("ActiveOverlayBytes", 0L);
        values.put("HiddenOverlayBytes", 0L);
        values.put("Error", "");
        values.put("ExportUri", "nbd://127.0.0.1:1/disk0-view");
        values.put("LocalPath", "/l");
        values.put("ActiveOverlayPath", "/a");
        values.put("HiddenOverlayPath", "/h");

        JmxClient.DiskStatus status = JmxClient.DiskStatus.from(values);

        assertEquals(new JmxClient.DiskStatus("disk0", "primary", "RUNNING", 7, true, 4096, 0, 0, "",
                "nbd://127.0.0.1:1/disk0-view", "/l", "/a", "/h"), status);
        assertEquals(true, status.running());
    }

    @Test
    void shouldReadMissingAttributesAsUnknown() {
        JmxClient.DiskStatus status = JmxClient.DiskStatus.from(Map.of("DiskName", "disk0"));

        assertEquals("unknown", status.stage());
        assertEquals(-1, status.epoch());
        assertEquals(false, status.degraded());
        assertEquals("", status.error());
        assertEquals(false, status.running());
    }
}
