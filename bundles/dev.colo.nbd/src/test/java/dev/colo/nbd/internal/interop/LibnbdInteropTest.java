package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.mina.RunningExport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libnbd's tools (nbdcopy, nbdinfo) against our server. */
class LibnbdInteropTest {

    @TempDir
    Path dir;

    @Test
    void shouldCopy256MibThroughTheExportUnchanged() throws Exception {
        Tool.assumeInstalled("nbdcopy");
        long size = 256L * 1024 * 1024;
        Path source = RandomFiles.create(dir.resolve("random.img"), size, 7);
        Path back = dir.resolve("back.img");
        try (RunningExport export = RunningExport.start(dir, "copy", size)) {
            Tool.Result in = Tool.run(120, "nbdcopy", source.toString(), export.uri());
            assertTrue(in.ok(), in.output());
            Tool.Result out = Tool.run(120, "nbdcopy", export.uri(), back.toString());
            assertTrue(out.ok(), out.output());
            String expected = RunningExport.sha256(source);
            assertEquals(expected, export.sha256(), "export after nbdcopy in");
            assertEquals(expected, RunningExport.sha256(back), "file after nbdcopy out");
            assertTrue(export.export().counters().requests(dev.colo.nbd.protocol.NbdCommand.WRITE) > 0);
        }
    }

    @Test
    void shouldListTheExportAndMapItsAllocation() throws Exception {
        Tool.assumeInstalled("nbdinfo");
        long size = 8L * 1024 * 1024;
        try (RunningExport export = RunningExport.start(dir, "listed", size)) {
            Tool.Result list = Tool.run(30, "nbdinfo", "--list", "nbd://127.0.0.1:" + export.port());
            assertTrue(list.ok(), list.output());
            assertTrue(list.output().contains("export=\"listed\""), list.output());
            assertTrue(list.output().contains(String.valueOf(size)), list.output());
            assertTrue(list.output().contains("block_size_maximum: 33554432"), list.output());

            Tool.Result map = Tool.run(30, "nbdinfo", "--map", export.uri());
            assertTrue(map.ok(), map.output());
            // the whole export is reported as allocated data (type 0)
            assertTrue(map.output().strip().matches("0\\s+" + size + "\\s+0\\s+data"), map.output());

            Tool.Result info = Tool.run(30, "nbdinfo", "--json", export.uri());
            assertTrue(info.ok(), info.output());
            assertTrue(info.output().contains("\"can_multi_conn\": true"), info.output());
            assertTrue(info.output().contains("\"is_read_only\": false"), info.output());
        }
    }
}
