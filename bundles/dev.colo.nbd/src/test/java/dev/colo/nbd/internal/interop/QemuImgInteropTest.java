package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.mina.RunningExport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-img convert into and out of an export, compared by checksum. */
class QemuImgInteropTest {
    private static final long SIZE = 32L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldConvertToAndFromTheExportUnchanged() throws Exception {
        Tool.assumeInstalled("qemu-img");
        Path source = RandomFiles.create(dir.resolve("source.img"), SIZE, 42);
        Path back = dir.resolve("back.img");
        try (RunningExport export = RunningExport.start(dir, "convert", SIZE)) {
            Tool.Result in = Tool.run(120, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(),
                    export.uri());
            assertTrue(in.ok(), in.output());
            assertEquals(RunningExport.sha256(source), export.sha256(), "the export's file after convert");

            Tool.Result out = Tool.run(120, "qemu-img", "convert", "-f", "raw", "-O", "raw", export.uri(),
                    back.toString());
            assertTrue(out.ok(), out.output());
            assertEquals(RunningExport.sha256(source), RunningExport.sha256(back), "converted back out of the export");

            Tool.Result info = Tool.run(30, "qemu-img", "info", "-f", "raw", export.uri());
            assertTrue(info.output().contains(String.valueOf(SIZE)), info.output());
        }
    }
}
